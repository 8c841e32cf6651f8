"""Read .dta and .sav files back with pyreadstat and, where R and haven are
installed, with R's haven: their string columns, cell by cell, as each reader
gives them."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

# For each pair of arguments (a file, where to write), R writes each string column
# as: name, \x01, cells each ended by \x00, then \x02. One R process reads them all.
_HAVEN_STRINGS = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(haven))
for (i in seq(1, length(args), by = 2)) {
  data <- if (grepl("\\.dta$", args[i])) read_dta(args[i]) else read_sav(args[i])
  out <- file(args[i + 1], "wb")
  for (name in names(data)) {
    cells <- data[[name]]
    if (!is.character(cells)) next
    writeBin(charToRaw(enc2utf8(name)), out)
    writeBin(as.raw(1), out)
    for (cell in cells) {
      if (!is.na(cell)) writeBin(charToRaw(enc2utf8(cell)), out)
      writeBin(as.raw(0), out)
    }
    writeBin(as.raw(2), out)
  }
  close(out)
}
"""


@cache
def haven_present() -> bool:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return False
    done = subprocess.run(
        [rscript, "-e", "library(haven)"], capture_output=True, timeout=120, check=False
    )
    return done.returncode == 0


def haven_strings(path: Path) -> dict[str, list[str]]:
    """Variable name → cells of every string variable, as haven reads ``path``;
    the test is skipped where R or haven is missing."""
    return haven_strings_of([path])[path]


def haven_strings_of(paths: list[Path]) -> dict[Path, dict[str, list[str]]]:
    """:func:`haven_strings` of several files, read by one R process (starting R
    costs about half a second)."""
    if not haven_present():
        pytest.skip("R's haven is not installed")
    script = paths[0].parent / "read_strings.R"
    script.write_text(_HAVEN_STRINGS, encoding="utf-8")
    outs = [path.parent / f"{path.name}.haven" for path in paths]
    arguments = [str(p) for pair in zip(paths, outs, strict=True) for p in pair]
    subprocess.run(
        ["Rscript", str(script), *arguments], check=True, capture_output=True, timeout=300
    )
    found: dict[Path, dict[str, list[str]]] = {}
    for path, out in zip(paths, outs, strict=True):
        columns: dict[str, list[str]] = {}
        for block in out.read_bytes().split(b"\x02")[:-1]:
            name, _, cells = block.partition(b"\x01")
            columns[name.decode("utf-8")] = [c.decode("utf-8") for c in cells.split(b"\x00")[:-1]]
        found[path] = columns
    return found


def pyreadstat_strings(path: Path) -> dict[str, list[str]]:
    """Variable name → cells of every string variable, as pyreadstat reads ``path``."""
    import pyreadstat

    read = pyreadstat.read_dta if path.suffix == ".dta" else pyreadstat.read_sav
    frame, meta = read(str(path))
    return {
        name: ["" if not isinstance(cell, str) else cell for cell in frame[name]]
        for name, kind in meta.readstat_variable_types.items()
        if kind == "string"
    }
