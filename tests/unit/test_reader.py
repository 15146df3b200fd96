"""Reading notes: encodings, binary and oversized files, folders and globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from ingest.reader import Skipped, find_note_files, read_note, read_notes
from tests.conftest import DATA


def test_gbk_file_is_decoded_as_gb18030() -> None:
    source = read_note("gbk", DATA / "gbk_notes.md", 1_000_000)
    assert source.encoding == "gb18030"
    assert "注意力机制" in source.text


def test_utf8_bom_is_stripped() -> None:
    source = read_note("bom", DATA / "bom_notes.md", 1_000_000)
    assert source.encoding == "utf-8-sig"
    assert source.text.startswith("# LoRA")


@pytest.mark.parametrize(("name", "reason"), [("binary.md", "binary"), ("empty.md", "empty")])
def test_refused_files_name_the_reason(name: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        read_note(name, DATA / name, 1_000_000)
    assert name in str(caught.value)


def test_file_over_the_limit_is_refused_without_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError, match=r"over the 5\.0 MB limit"):
        read_note("huge.md", huge, 5 * 1024 * 1024)


def test_bad_files_are_skipped_and_the_rest_go_in() -> None:
    pairs, skipped = find_note_files([str(DATA)])
    results = list(read_notes(pairs, 1_000_000))
    refused = {Path(r.path).name for r in results if isinstance(r, Skipped)}
    read = {r.id for r in results if not isinstance(r, Skipped)}
    assert refused == {"binary.md", "empty.md"}
    assert "data/gbk_notes.md" in read and not skipped


def test_globs_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    pairs, skipped = find_note_files([str(tmp_path / "*.md"), str(tmp_path / "b.pdf"), str(tmp_path / "nope")])
    assert [doc_id for doc_id, _ in pairs] == ["a.md"]
    assert [s.reason.split(" (")[0] for s in skipped] == ["not a notes file", "no such file, folder or glob match"]
