"""Replacing a file so that readers see the old content or the new, never a part of either."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(target: Path, payload: bytes, durable: bool = True) -> None:
    """Write `payload` to a temp file beside `target`, then rename it over `target`.

    `durable` also fsyncs the file and its directory, so the new content survives a power cut; progress notes
    that the next update replaces anyway skip that cost.
    """
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(payload)
            if durable:
                temp.flush()
                os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if durable:
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
