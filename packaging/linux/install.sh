#!/bin/sh
# Add Annotator to this user's desktop: the applications menu, the icon, the
# `annotator` command in ~/.local/bin, and .annotator files opening in it.
# Run it from the unpacked folder; it needs no root. `./install.sh --uninstall`
# removes all of that again (the program folder and your projects stay).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
sizes="16 24 32 48 64 128 256 512"

refresh() {
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$data/mime" || true; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database "$data/applications" || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$data/icons/hicolor" || true; fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$data/applications/annotator.desktop" "$data/mime/packages/annotator.xml"
  for size in $sizes; do rm -f "$data/icons/hicolor/${size}x${size}/apps/annotator.png"; done
  if [ -L "$bin/annotator" ]; then rm -f "$bin/annotator"; fi
  refresh
  echo "Annotator removed from the menu; $here and your projects are untouched."
  exit 0
fi

for size in $sizes; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$here/_internal/resources/icons/annotator-$size.png" \
    "$data/icons/hicolor/${size}x${size}/apps/annotator.png"
done
mkdir -p "$data/applications" "$data/mime/packages" "$bin"
sed "s|^Exec=.*|Exec=\"$here/annotator\" %f|" "$here/annotator.desktop" \
  > "$data/applications/annotator.desktop"
cp "$here/annotator-mime.xml" "$data/mime/packages/annotator.xml"
ln -sf "$here/annotator" "$bin/annotator"
refresh
echo "Annotator is in the applications menu; 'annotator' runs it from $bin."
