"""View ▸ Coded Segments: every annotation of the project in one table, filtered."""
