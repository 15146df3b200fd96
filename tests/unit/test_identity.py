"""Issue 20: a document's identity does not depend on how its file was named or from where; the same content
under another id is reported, not counted twice."""

from __future__ import annotations

from pathlib import Path

from graph.store.embedded import EmbeddedStore
from ingest.identity import reconcile
from ingest.pipeline import read_sources
from ingest.rebuild import change_for

NOTE = "# 笔记\n\n**FooNorm** 是一种归一化方法，它基于 LayerNorm。\n"


def _store_of(tmp_path: Path, *targets: str) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    for target in targets:
        found = reconcile(read_sources([target], 1_000_000).sources, store.document_graphs())
        if found.sources:
            store.update_documents(change_for(found.sources))
    return store


def test_a_file_named_alone_then_by_its_folder_stays_one_document(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "norms.md").write_text(NOTE, encoding="utf-8")
    monkeypatch.chdir(notes)
    store = _store_of(tmp_path, "norms.md")
    monkeypatch.chdir(tmp_path)
    found = reconcile(read_sources(["notes"], 1_000_000).sources, store.document_graphs())
    assert found.unchanged == ["norms.md"] and not found.sources and not found.duplicates
    (notes / "norms.md").write_text(NOTE + "\nFooNorm 使用 RMS 统计量。\n", encoding="utf-8")
    found = reconcile(read_sources([str(notes)], 1_000_000).sources, store.document_graphs())
    assert [s.id for s in found.sources] == ["norms.md"]  # changed: replaces the stored document, same id


def test_the_same_content_under_another_name_is_a_duplicate(tmp_path: Path) -> None:
    for name in ("a.md", "copy-of-a.md"):
        (tmp_path / name).write_text(NOTE, encoding="utf-8")
    store = _store_of(tmp_path, str(tmp_path / "a.md"))
    found = reconcile(read_sources([str(tmp_path / "copy-of-a.md")], 1_000_000).sources, store.document_graphs())
    assert not found.sources and found.duplicates[0].path == "copy-of-a.md"
    assert "same content as a.md" in found.duplicates[0].reason
    batch = reconcile(read_sources([str(tmp_path)], 1_000_000).sources, {})
    assert len(batch.sources) == 1 and len(batch.duplicates) == 1  # within one batch too
