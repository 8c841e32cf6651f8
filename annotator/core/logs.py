"""The app's log file: rotating, in the user log folder (platformdirs)."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from annotator.core.paths import APP_NAME

LOGGER = "annotator"


def log_dir() -> Path:
    """``ANNOTATOR_DATA_DIR``/logs when that is set (tests, portable use), else the
    platform's user log folder."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, False))


def log_file() -> Path:
    return log_dir() / "annotator.log"


def setup_logging() -> logging.Logger:
    """Log to a rotating file (1 MB × 5); safe to call more than once."""
    logger = logging.getLogger(LOGGER)
    path = log_file()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger
