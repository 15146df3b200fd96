"""Uploaded notes files -> SourceFiles: size and count limits, safe document ids, content sniffed.

A client's file name only ever becomes a document id (its relative path, each part cleaned); nothing is
written to or read from a path the client chose.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from fastapi import UploadFile

from api.errors import ApiError
from graph.errors import InputError
from ingest.reader import NOTE_SUFFIXES, Skipped, SourceFile, note_from_bytes

_CHUNK = 64 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")
_MAX_NAME = 120
_MAX_FOLDERS = 8


def document_id_for(filename: str | None, position: int) -> str:
    r"""The upload's document id: its relative path as the client sent it (folders kept, so two README.md from
    two folders stay two documents), each part cleaned of control and path characters, '..' and '.' dropped
    ('../../notes/x.md' -> 'notes/x.md').

    >>> document_id_for("a/README.md", 1), document_id_for("..\\..\\b\\README.md", 2), document_id_for("", 3)
    ('a/README.md', 'b/README.md', 'upload-3.md')
    """
    parts = [_clean_part(part) for part in re.split(r"[/\\]+", unicodedata.normalize("NFC", filename or ""))]
    parts = [part for part in parts if part]
    if not parts:
        return f"upload-{position}.md"
    name = parts[-1]
    stem, dot, suffix = name.rpartition(".")
    parts[-1] = (stem[:_MAX_NAME - len(suffix) - 1] + "." + suffix) if dot and stem else name[:_MAX_NAME]
    return "/".join([*parts[:-1][-_MAX_FOLDERS:], parts[-1]])


def _clean_part(part: str) -> str:
    cleaned = _UNSAFE.sub("_", part).strip(" ._")
    return "" if cleaned in ("", ".", "..") else cleaned[:_MAX_NAME]


async def read_uploads(files: list[UploadFile], max_files: int, max_bytes: int) -> tuple[list[SourceFile], list[Skipped]]:
    """Read each upload up to the size limit and sniff it; refused files are reported, the rest go on."""
    if not files:
        raise ApiError(422, "invalid_request", "no files uploaded; send one or more notes files as 'files'")
    if len(files) > max_files:
        raise ApiError(413, "too_many_files", f"{len(files)} files uploaded; at most {max_files} per request "
                       "(STUDYGRAPH_MAX_UPLOAD_FILES)", {"files": len(files), "limit": max_files})
    sources: list[SourceFile] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for position, upload in enumerate(files, start=1):
        doc_id = document_id_for(upload.filename, position)
        if doc_id in seen:
            skipped.append(Skipped(doc_id, "another file in this upload has the same name"))
            continue
        seen.add(doc_id)
        if not doc_id.lower().endswith(NOTE_SUFFIXES):
            skipped.append(Skipped(doc_id, f"not a notes file (expected {', '.join(NOTE_SUFFIXES)})"))
            continue
        raw = await _read_limited(upload, max_bytes)
        if raw is None:
            skipped.append(Skipped(doc_id, f"file is over the {max_bytes / 1_048_576:.1f} MB limit "
                                   "(STUDYGRAPH_MAX_FILE_BYTES)"))
            continue
        try:
            sources.append(note_from_bytes(doc_id, Path(f"upload:{doc_id}"), raw))
        except InputError as exc:
            skipped.append(Skipped(doc_id, exc.reason))
    return sources, skipped


async def _read_limited(upload: UploadFile, max_bytes: int) -> bytes | None:
    """The upload's bytes, or None as soon as it passes the limit (the rest is never held in memory)."""
    chunks, size = [], 0
    while chunk := await upload.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
