"""dmgbuild settings: the app and a link to /Applications to drag it onto.

    dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Annotator.app \
        "Annotator" dist/Annotator-VERSION-macos-ARCH.dmg
"""

import os

application = defines.get("app", "dist/Annotator.app")  # noqa: F821 (given by dmgbuild)
appname = os.path.basename(application)

format = "UDZO"  # zlib-compressed, opens on every supported macOS
filesystem = "HFS+"
files = [application]
symlinks = {"Applications": "/Applications"}
icon = os.path.join(application, "Contents", "Resources", "annotator.icns")
default_view = "icon-view"
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
window_rect = ((200, 160), (600, 320))
icon_size = 128
text_size = 13
icon_locations = {appname: (150, 140), "Applications": (450, 140)}
