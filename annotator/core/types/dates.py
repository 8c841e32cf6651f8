"""The date rule, shared by date attributes and date document variables.

A date is a year (``2024``), a year and month (``2024-06``) or a calendar date
(``2024-06-22``): sources often give no more than the year or the month. It is
stored and exported as that text, so a partial date stays partial.
"""

from __future__ import annotations

import re
from datetime import date

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def check_date(text: str) -> str:
    """``text`` without surrounding spaces if it is a date in one of
    :data:`DATE_FORMS`; otherwise ``ValueError`` saying so."""
    text = text.strip()
    match = _DATE.fullmatch(text)
    if match is not None:
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date(year, month, day)
        except ValueError:
            pass
        else:
            return text
    raise ValueError(f"“{text}” is not a date ({DATE_FORMS})")
