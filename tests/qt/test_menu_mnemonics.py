"""Alt and a letter reach one item of a menu: no two items of a menu share their
underlined letter (Team had both Prepare/Progress and Agreement/Adjudicate)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu


def _letter(text: str) -> str | None:
    found = re.search(r"&([^&])", text)
    return found.group(1).lower() if found else None


def _menus(menu: QMenu) -> list[QMenu]:
    found = [menu]
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += _menus(sub)
    return found


def test_no_two_items_of_a_menu_share_their_letter(make_window, tmp_path):
    window = make_window(tmp_path / "study.annotator")
    bar = window.menuBar()
    tops = [a.menu() for a in bar.actions() if isinstance(a.menu(), QMenu)]
    assert len({_letter(a.text()) for a in bar.actions()}) == len(bar.actions())
    for top in tops:
        for menu in _menus(top):
            letters = [
                _letter(a.text()) for a in menu.actions() if a.isVisible() and not a.isSeparator()
            ]
            shared = {x for x in letters if x is not None and letters.count(x) > 1}
            texts = [a.text() for a in menu.actions() if a.isVisible()]
            assert not shared, (menu.title(), shared, texts)
