"""``annotator --self-test``: check that this installation works, end to end.

Runs in a source checkout and in the frozen bundle alike: the SQLite build (and
FTS5), the shipped resources and sample documents, a temporary project that is
created at file format 0 and migrated, a sample document and an emoji text
imported through the import pipeline, a span after the emoji tagged and
exported as CSV with its quote checked, the Qt platform plugin, and the main
window shown with the sample project. Nothing outside a temporary folder is
written except the report, ``self-test.txt`` in the log folder.

Only ``check_qt`` and ``check_window`` import Qt, and only when they run.
"""

from __future__ import annotations

import csv
import os
import platform
import re
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TextIO

_STARTED = time.perf_counter()

EMOJI_TEXT = "Emoji 👍🏽 first, then Kim said “no deal” in Pyongyang.\n"
QUOTE = "Kim"
MIN_SQLITE = (3, 35, 0)
# Left out of the bundle (packaging/annotator.spec); a frozen build must not have them.
EXCLUDED_MODULES = ("tkinter", "PyQt5", "PyQt6", "PySide2", "PIL", "pytest")
# Qt libraries and plugins the spec filters out (the app uses QtCore, QtGui, QtWidgets).
UNUSED_QT = re.compile(
    r"Qt6?(Network|Qml|Quick|Sql|Multimedia|WebEngine|Pdf|3D|Charts|Test|Designer)"
    r"|qsql|qtquick|qml",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def app_version() -> str:
    from annotator import __version__

    return __version__


def environment() -> dict[str, str]:
    """Versions and folders (no Qt): shown in the report and in Help ▸ About."""
    from annotator.core.logs import log_dir
    from annotator.core.paths import config_dir, data_dir

    return {
        "Annotator": app_version() + (" (bundle)" if is_frozen() else ""),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "SQLite": sqlite3.sqlite_version,
        "System": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Data folder": str(data_dir()),
        "Log folder": str(log_dir()),
        "Settings folder": str(config_dir()),
    }


def seconds_since_process_start() -> float | None:
    """Wall time since this process started (Linux only: from /proc), else None."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of the whole line: starttime
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


# -- the checks ----------------------------------------------------------------


def check_sqlite() -> str:
    version = tuple(int(p) for p in sqlite3.sqlite_version.split(".")[:3])
    if version < MIN_SQLITE:
        raise RuntimeError(
            f"SQLite {sqlite3.sqlite_version} is older than {'.'.join(map(str, MIN_SQLITE))}"
        )
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
        conn.execute("INSERT INTO t VALUES ('Kim said no deal in Pyongyang')")
        hits = conn.execute("SELECT count(*) FROM t WHERE t MATCH 'pyongyang'").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no FTS5: {exc}") from exc
    finally:
        conn.close()
    if hits != 1:
        raise RuntimeError("an FTS5 search found nothing")
    return f"SQLite {sqlite3.sqlite_version}, FTS5 works"


def check_resources() -> str:
    from annotator.core.resources import default_codebook, resources_dir

    folder = resources_dir()
    keys = [category["key"] for category in default_codebook()]
    icon = folder / "icons" / "annotator-256.png"
    if not icon.is_file():
        raise FileNotFoundError(f"the app icon is missing: {icon}")
    return f"{folder} (codebook: {', '.join(keys)}; icons)"


def _manifest() -> list[dict[str, str]]:
    from annotator.core.resources import sample_docs_dir

    with (sample_docs_dir() / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def check_sample_docs() -> str:
    from annotator.core.resources import sample_docs_dir

    folder = sample_docs_dir()
    rows = _manifest()
    missing = [row["file_name"] for row in rows if not (folder / row["file_name"]).is_file()]
    if not rows or missing:
        raise FileNotFoundError(f"sample documents missing from {folder}: {missing or 'all'}")
    return f"{folder} ({len(rows)} documents)"


def _old_project(path: Path) -> None:
    """An empty project file at format 0, as the first release wrote it before any step."""
    from annotator.store.schema import APPLICATION_ID

    conn = sqlite3.connect(str(path))
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 0")
        conn.commit()
    finally:
        conn.close()


def check_project(workdir: Path) -> str:
    from annotator.core.resources import sample_docs_dir
    from annotator.exporting.csv_export import export_csv
    from annotator.importing.text_import import import_file
    from annotator.ops.annotations import add_annotation
    from annotator.store.project import open_project
    from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION

    path = workdir / "self-test.annotator"
    _old_project(path)
    with open_project(path) as project:  # opening an older file migrates it
        header = sqlite3.connect(str(path))
        try:
            app_id = header.execute("PRAGMA application_id").fetchone()[0]
            user_version = header.execute("PRAGMA user_version").fetchone()[0]
        finally:
            header.close()
        if (app_id, user_version) != (APPLICATION_ID, SCHEMA_VERSION):
            raise RuntimeError(
                f"after migrating: application_id {app_id:#x}, format {user_version} "
                f"(expected {APPLICATION_ID:#x}, {SCHEMA_VERSION})"
            )
        sample = import_file(project, sample_docs_dir() / _manifest()[0]["file_name"])
        emoji_file = workdir / "emoji.txt"
        emoji_file.write_text(EMOJI_TEXT, encoding="utf-8")
        doc = import_file(project, emoji_file, title="Emoji").document
        text = project.document_text(doc.id)
        start = text.index(QUOTE)
        add_annotation(project, doc.id, start, start + len(QUOTE), "actor", coder="self-test")
        counts = export_csv(project, workdir / "export")
        chars = project.document(sample.document.id).char_count
    with (workdir / "export" / "annotations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if len(rows) != 1 or counts["annotations.csv"] != 1:
        raise RuntimeError(f"annotations.csv has {len(rows)} rows, expected 1")
    row = rows[0]
    if (row["quote"], row["start"], row["end"]) != (QUOTE, str(start), str(start + len(QUOTE))):
        raise RuntimeError(
            f"annotations.csv quotes {row['quote']!r} at [{row['start']}, {row['end']}), "
            f"expected {QUOTE!r} at [{start}, {start + len(QUOTE)})"
        )
    return (
        f"format 0 → {SCHEMA_VERSION}, imported a sample ({chars:,} characters) and an "
        f"emoji text, tagged {QUOTE!r} at code point {start}, CSV quote matches"
    )


def _platform_plugins() -> dict[str, list[str]]:
    """Platform plugins Qt can find, by folder."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    folders = [
        *QCoreApplication.libraryPaths(),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath),
    ]
    found: dict[str, list[str]] = {}
    for folder in dict.fromkeys(folders):
        platforms = Path(folder) / "platforms"
        if platforms.is_dir():
            names = sorted(
                p.stem.removeprefix("libq").removeprefix("q")
                for p in platforms.iterdir()
                if p.suffix in {".so", ".dll", ".dylib"}
            )
            found[str(platforms)] = names
    return found


def _wanted_platform() -> str:
    wanted = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if wanted:
        return wanted
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "cocoa"
    if os.environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    if os.environ.get("DISPLAY"):
        return "xcb"
    raise RuntimeError("no display: set QT_QPA_PLATFORM=offscreen to test without one")


def check_qt() -> str:
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    wanted = _wanted_platform()
    plugins = _platform_plugins()
    available = sorted({name for names in plugins.values() for name in names})
    # Qt aborts the process when the plugin cannot be loaded: look before creating the app.
    if not any(name == wanted or name.startswith(wanted) for name in available):
        raise RuntimeError(
            f"the Qt platform plugin '{wanted}' is missing "
            f"(found: {', '.join(available) or 'none'} in {', '.join(plugins) or 'no folder'})"
        )
    app = QApplication.instance() or QApplication([sys.argv[0], "-platform", wanted])
    assert app is not None  # kept alive while the plugin is checked
    name = QGuiApplication.platformName()
    if name != wanted:
        raise RuntimeError(f"Qt loaded the platform plugin '{name}', not '{wanted}'")
    return (
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}, platform '{name}' "
        f"(available: {', '.join(available)})"
    )


def check_window(workdir: Path) -> str:
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtWidgets import QApplication

    from annotator.app import build_window
    from annotator.importing.default_project import open_or_create
    from annotator.qt.common.settings import AppSettings

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication (the Qt check failed)")
    begun = time.perf_counter()
    path = workdir / "Sample Project.annotator"
    open_or_create(path, with_samples=True).close()  # what the first start creates
    window = build_window(path, "self-test", AppSettings(workdir / "settings.ini"))
    try:
        window.show()
        deadline = QDeadlineTimer(10_000)
        while not (window.windowHandle() and window.windowHandle().isExposed()):
            if deadline.hasExpired():
                raise RuntimeError("the main window was not shown within 10 s")
            app.processEvents()
            time.sleep(0.005)
        shown = time.perf_counter()
        documents = len(window.project.documents(counts=False))
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    since_start = seconds_since_process_start()
    timing = (
        f"{since_start:.2f} s after the process started"
        if since_start is not None
        else f"{shown - _STARTED:.2f} s after the self-test module loaded"
    )
    return (
        f"shown with the sample project ({documents} documents) in {shown - begun:.2f} s; {timing}"
    )


def check_bundle() -> str:
    """Only in the frozen app: what the spec leaves out stays out."""
    present = [name for name in EXCLUDED_MODULES if find_spec(name) is not None]
    if present:
        raise RuntimeError(f"modules that should have been left out: {', '.join(present)}")
    root = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    translations = sorted(p.name for p in root.rglob("*.qm"))
    if translations:
        raise RuntimeError(f"Qt translations in the bundle: {', '.join(translations[:5])} …")
    unused = sorted({p.name for p in root.rglob("*") if UNUSED_QT.search(p.name)})
    if unused:
        raise RuntimeError(f"Qt modules the app does not use are bundled: {', '.join(unused[:5])}")
    extras = ", ".join(
        f"{fmt} {'included' if all(find_spec(m) for m in modules) else 'not included'}"
        for fmt, modules in (("xlsx", ("openpyxl",)), ("dta/sav", ("pyreadstat", "pandas")))
    )
    return (
        f"{root}: none of {', '.join(EXCLUDED_MODULES)}, no unused Qt modules, "
        f"no Qt translations; {extras}"
    )


# -- running ---------------------------------------------------------------------


@contextmanager
def private_folders(workdir: Path) -> Iterator[None]:
    """Backups, logs and settings of the checks go to ``workdir``, not the user's folders."""
    keys = ("ANNOTATOR_DATA_DIR", "ANNOTATOR_CONFIG_DIR")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ["ANNOTATOR_DATA_DIR"] = str(workdir / "data")
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(workdir / "config")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run_check(name: str, check: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, check())
    except Exception as exc:  # a failed check is reported, never raised
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}{where}")


def run_checks(workdir: Path, *, qt: bool = True) -> Iterator[CheckResult]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("sqlite", check_sqlite),
        ("resources", check_resources),
        ("sample documents", check_sample_docs),
        ("project", lambda: check_project(workdir)),
    ]
    if qt:
        checks += [("qt", check_qt), ("window", lambda: check_window(workdir))]
    if is_frozen():
        checks.append(("bundle", check_bundle))
    qt_ok = False
    with private_folders(workdir):
        for name, check in checks:
            if name == "window" and not qt_ok:
                yield CheckResult(name, False, "skipped: the Qt check failed")
                continue
            result = _run_check(name, check)
            if name == "qt":
                qt_ok = result.ok
            yield result


def run(out: TextIO | None = None, *, qt: bool = True, report: Path | None = None) -> int:
    """Run every check, write the report to ``out`` (and ``report``); 0 if all pass."""
    from annotator.core.logs import log_file

    lines = [f"Annotator self-test, {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    lines += [f"  {key}: {value}" for key, value in environment().items()]
    report = report or log_file().with_name("self-test.txt")

    def emit(line: str) -> None:
        lines.append(line)
        if out is not None:
            print(line, file=out, flush=True)

    for line in list(lines):
        if out is not None:
            print(line, file=out, flush=True)
    results: list[CheckResult] = []
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-") as tmp:
        for result in run_checks(Path(tmp), qt=qt):
            results.append(result)
            emit(result.line())
    failed = [r.name for r in results if not r.ok]
    emit(
        f"self-test FAILED: {', '.join(failed)} ({len(failed)} of {len(results)} checks)"
        if failed
        else f"self-test passed: {len(results)} checks in {time.perf_counter() - _STARTED:.1f} s"
    )
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        pass  # the report on stdout is what counts; a read-only log folder is no failure
    return 1 if failed else 0


def main() -> int:
    # A windowed Windows build has no console: sys.stdout is None, the report file remains.
    out = sys.stdout
    if out is not None and hasattr(out, "reconfigure"):
        try:
            out.reconfigure(errors="replace")
        except (OSError, ValueError):
            pass
    return run(out)
