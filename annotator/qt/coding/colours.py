"""Colours of coded text that stay readable: tints checked against WCAG contrast.

A tint mixes a category's colour into the page's background (white in a light
theme, the dark base in a dark one) and is moved further toward the background
until the text on it reaches the WCAG AA contrast of 4.5:1.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

AA = 4.5  # WCAG 2 AA contrast for body text


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


PARTS = 12  # shares of a mix are counted in twelfths


def mix(colour: QColor, base: QColor, parts: int) -> QColor:
    """``parts`` twelfths of ``colour``, the rest ``base`` (rounded down)."""
    rest = PARTS - parts
    return QColor(
        (colour.red() * parts + base.red() * rest) // PARTS,
        (colour.green() * parts + base.green() * rest) // PARTS,
        (colour.blue() * parts + base.blue() * rest) // PARTS,
    )


def readable_tint(colour: str, base: QColor, text: QColor, parts: int = 4) -> QColor:
    """A tint of ``colour`` (``parts`` twelfths of it over ``base``, fewer if need
    be) on which ``text`` keeps AA contrast."""
    strong = QColor(colour)
    while parts > 0:
        tint = mix(strong, base, parts)
        if contrast(tint, text) >= AA:
            return tint
        parts -= 1
    return QColor(base)


def readable(candidate: QColor, text: QColor) -> bool:
    return contrast(candidate, text) >= AA
