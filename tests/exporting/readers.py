"""Read .dta and .sav files back with pyreadstat and, where R and haven are
installed, with R's haven: their string columns, cell by cell, as each reader
gives them."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

# R writes each string column as: name, \x01, cells each ended by \x00, then \x02.
_HAVEN_STRINGS = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(haven))
data <- if (grepl("\\.dta$", args[1])) read_dta(args[1]) else read_sav(args[1])
out <- file(args[2], "wb")
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
    if not haven_present():
        pytest.skip("R's haven is not installed")
    script = path.parent / "read_strings.R"
    script.write_text(_HAVEN_STRINGS, encoding="utf-8")
    out = path.parent / f"{path.name}.haven"
    subprocess.run(
        ["Rscript", str(script), str(path), str(out)], check=True, capture_output=True, timeout=300
    )
    columns: dict[str, list[str]] = {}
    for block in out.read_bytes().split(b"\x02")[:-1]:
        name, _, cells = block.partition(b"\x01")
        columns[name.decode("utf-8")] = [c.decode("utf-8") for c in cells.split(b"\x00")[:-1]]
    return columns


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
