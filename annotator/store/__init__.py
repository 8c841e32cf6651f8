"""The project file: SQLite through sqlite-utils. No Qt here."""

import importlib
import sys

# sqlite-utils imports pandas and numpy whenever they are installed (the test and
# stats extras), only to map their types in inserts, which the store never makes:
# 0.2 s and 42 MB on every start. They are hidden while it is first imported (a
# None entry in sys.modules makes their import fail, which it allows for) and put
# back afterwards, so the Stata and SPSS export can still import them.
_HIDDEN = ("pandas", "numpy")
if "sqlite_utils" not in sys.modules:
    _missing = [name for name in _HIDDEN if name not in sys.modules]
    for _name in _missing:
        sys.modules[_name] = None  # type: ignore[assignment]
    try:
        importlib.import_module("sqlite_utils")
    finally:
        for _name in _missing:
            if sys.modules.get(_name, ...) is None:
                del sys.modules[_name]
