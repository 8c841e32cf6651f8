#!/usr/bin/env bash
# Build Annotator's onedir bundle with PyInstaller, optionally run its
# self-test, and pack it for this platform:
#   Linux    dist/Annotator-VERSION-linux-ARCH.tar.gz (with a .desktop file)
#   macOS    dist/Annotator-VERSION-macos-ARCH.dmg    (dmgbuild, with --installer)
#   Windows  dist/Annotator-VERSION-windows-x64-setup.exe (Inno Setup, with --installer)
#
#   packaging/build.sh [--self-test] [--installer]
#
# Uses .venv's Python when there is one (else $PYTHON or python3), which needs
# the packaging extra: pip install -e ".[packaging]". The version comes from
# pyproject.toml. See packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

self_test=0
installer=0
for arg in "$@"; do
  case "$arg" in
    --self-test) self_test=1 ;;
    --installer) installer=1 ;;
    *) echo "usage: packaging/build.sh [--self-test] [--installer]" >&2; exit 2 ;;
  esac
done

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) echo "build.sh: unsupported system $(uname -s)" >&2; exit 2 ;;
esac
if [ -n "${PYTHON:-}" ]; then
  python=$PYTHON
elif [ -x .venv/bin/python ]; then
  python=.venv/bin/python
elif [ -x .venv/Scripts/python.exe ]; then
  python=.venv/Scripts/python.exe
else
  python=python3
fi
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=${ANNOTATOR_TARGET_ARCH:-$(uname -m)}
case "$arch" in aarch64) arch=arm64 ;; amd64|AMD64) arch=x86_64 ;; esac

echo "== Annotator $version: PyInstaller bundle for $os ($arch)"
start=$(date +%s)
rm -rf dist/Annotator dist/Annotator.app
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/annotator.spec
case "$os" in
  linux) exe=dist/Annotator/annotator ;;
  macos) exe=dist/Annotator.app/Contents/MacOS/Annotator ;;
  windows) exe=dist/Annotator/Annotator.exe ;;
esac
echo "bundle: dist/Annotator ($(du -sh dist/Annotator | cut -f1)), built in $(( $(date +%s) - start )) s"

if [ "$self_test" = 1 ]; then
  echo "== frozen self-test (offscreen)"
  scratch=$(mktemp -d)
  # A windowed Windows build has no stdout: the report is read from the log folder.
  status=0
  QT_QPA_PLATFORM=offscreen ANNOTATOR_DATA_DIR="$scratch/data" \
    ANNOTATOR_CONFIG_DIR="$scratch/config" "$exe" --self-test > "$scratch/out.txt" || status=$?
  if [ -s "$scratch/out.txt" ]; then cat "$scratch/out.txt"; else cat "$scratch/data/logs/self-test.txt" || true; fi
  rm -rf "$scratch"
  if [ "$status" != 0 ]; then echo "build.sh: the frozen self-test failed ($status)" >&2; exit 1; fi
fi

case "$os" in
  linux)
    cp packaging/linux/annotator.desktop packaging/linux/annotator-mime.xml \
      packaging/linux/install.sh dist/Annotator/
    cp resources/icons/annotator-256.png dist/Annotator/annotator.png
    archive=dist/Annotator-$version-linux-$arch.tar.gz
    tar -C dist -czf "$archive" Annotator
    echo "archive: $archive ($(du -h "$archive" | cut -f1))"
    ;;
  macos)
    if [ "$installer" = 1 ]; then
      dmg=dist/Annotator-$version-macos-$arch.dmg
      rm -f "$dmg"
      "$python" -m dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Annotator.app \
        "Annotator $version" "$dmg"
      echo "disk image: $dmg ($(du -h "$dmg" | cut -f1))"
    fi
    ;;
  windows)
    if [ "$installer" = 1 ]; then
      iscc=${ISCC:-iscc}
      command -v "$iscc" >/dev/null 2>&1 || iscc="/c/Program Files (x86)/Inno Setup 6/ISCC.exe"
      "$iscc" //Q "//DAppVersion=$version" packaging/windows/annotator.iss
      echo "installer: dist/Annotator-$version-windows-x64-setup.exe"
    fi
    ;;
esac
echo "== done in $(( $(date +%s) - start )) s"
