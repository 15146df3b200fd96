"""Find notes files and decode them (UTF-8, UTF-8 with BOM, GB18030/GBK), refusing what is not text."""

from __future__ import annotations

import glob
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import InputError
from ingest.chinese_text import reads_as_chinese

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SourceFile:
    """A decoded notes file; `id` is the document id evidence refers to."""

    id: str
    path: Path
    text: str
    encoding: str
    sha256: str
    # Which file on disk this is (a digest of its resolved path; None for an upload), so the same file given
    # by another path or from another working directory keeps its document id.
    origin: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A file that was not ingested and why, for the ingest summary."""

    path: str
    reason: str


def find_note_files(targets: Iterable[str]) -> tuple[list[tuple[str, Path]], list[Skipped]]:
    """Expand files, folders (recursive) and globs into (document id, path) pairs, sorted and unique.

    A folder's files get ids relative to the folder's parent ("notes/a.md"), so two folders with the
    same file names stay apart; a single file's id is its name.
    """
    found: dict[Path, str] = {}
    skipped: list[Skipped] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in NOTE_SUFFIXES:
                    found.setdefault(child.resolve(), child.relative_to(path.parent).as_posix())
        elif path.is_file():
            if path.suffix.lower() in NOTE_SUFFIXES:
                found.setdefault(path.resolve(), path.name)
            else:
                skipped.append(Skipped(str(path), f"not a notes file (expected {', '.join(NOTE_SUFFIXES)})"))
        else:
            matches = sorted(glob.glob(target, recursive=True))
            if not matches:
                skipped.append(Skipped(target, "no such file, folder or glob match"))
            for match in matches:
                match_path = Path(match)
                if match_path.is_file() and match_path.suffix.lower() in NOTE_SUFFIXES:
                    found.setdefault(match_path.resolve(), match_path.name)
    pairs = sorted(((doc_id, path) for path, doc_id in found.items()), key=lambda pair: pair[0])
    return pairs, skipped


def looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters mean this is no text file."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return len(head) > 0 and controls / len(head) > 0.05


# Zero-width and direction-override characters: invisible in the notes, they would split or disguise names
# ('Lo\u200bRA', '\u202e…'), so they are dropped when a file is read.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def decode_note(raw: bytes, path: str) -> tuple[str, str]:
    """Decode bytes as UTF-16 (with its BOM), UTF-8 (BOM allowed) or GB18030, returning (text, encoding name)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(path, "starts like UTF-16 but does not decode as it; re-save the file as UTF-8") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 or GB18030/GBK text; re-save the file as UTF-8") from exc
    if not reads_as_chinese(text):  # Shift_JIS, Big5 and the like decode as GB18030 into rare characters
        raise InputError(path, "in an encoding other than UTF-8 or GB18030/GBK (it decodes as GB18030 only into "
                         "rare characters); re-save the file as UTF-8")
    return text, "gb18030"


def read_note(doc_id: str, path: Path, max_bytes: int) -> SourceFile:
    """Read and decode one notes file, or raise InputError saying why it was refused."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            str(path),
            f"file is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.1f} MB limit "
            "(raise STUDYGRAPH_MAX_FILE_BYTES to ingest it)",
        )
    return note_from_bytes(doc_id, path, path.read_bytes())


def note_from_bytes(doc_id: str, path: Path, raw: bytes) -> SourceFile:
    """Sniff and decode a notes file's bytes (from disk or an upload), or raise InputError saying why not."""
    if not raw.strip():
        raise InputError(str(path), "file is empty; nothing to ingest")
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))  # a BOM says UTF-16: its zero bytes are no binary sign
    if not utf16 and looks_binary(raw[:_SNIFF_BYTES]):
        raise InputError(str(path), "looks like a binary file, not Markdown or text")
    text, encoding = decode_note(raw, str(path))
    if "\x00" in text:  # past the sniffed head
        raise InputError(str(path), "holds NUL bytes, so it is a binary file, not Markdown or text")
    text = INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise InputError(str(path), f"Markdown nested {depth} levels deep (block quotes or lists); at most "
                                    f"{MAX_NESTING} are read")
    return SourceFile(INVISIBLE.sub("", doc_id), path, text, encoding, hashlib.sha256(raw).hexdigest())


MAX_NESTING = 100  # as CommonMark parsers cap nesting; a deeper file is refused on its own, the rest go in
_QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+", re.MULTILINE)
_LIST_INDENT = re.compile(r"^( *)(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)


def nesting_depth(text: str) -> int:
    r"""The deepest block nesting a line opens: '>' markers in a row, or a list item's indentation in steps of 2.

    >>> nesting_depth("> > quote"), nesting_depth("- a\n  - b\n    - c"), nesting_depth("plain")
    (2, 3, 0)
    """
    quotes = max((match.group(0).count(">") for match in _QUOTES.finditer(text)), default=0)
    lists = max((len(match.group(1)) // 2 + 1 for match in _LIST_INDENT.finditer(text)), default=0)
    return max(quotes, lists)


def read_notes(
    pairs: Iterable[tuple[str, Path]], max_bytes: int
) -> Iterator[SourceFile | Skipped]:
    """Read each file in turn, yielding Skipped for refused ones so the rest still go in."""
    for doc_id, path in pairs:
        try:
            yield replace(read_note(doc_id, path, max_bytes), origin=file_origin(path))
        except InputError as exc:
            yield Skipped(exc.path, exc.reason)
        except OSError as exc:
            yield Skipped(str(path), f"cannot read: {exc.strerror or exc}")


def file_origin(path: Path) -> str:
    """A digest of the file's resolved path: its identity on this machine, without storing the path itself."""
    return hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
