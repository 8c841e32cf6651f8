"""Pure-Python domain logic: no Qt, no SQL."""
