"""The project file: SQLite through sqlite-utils. No Qt here."""
