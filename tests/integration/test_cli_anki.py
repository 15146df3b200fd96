"""`studygraph export --format anki`: a real store, the .apkg opened the way Anki reads it (a zip holding a SQLite
collection), re-exports keeping each card's GUID, and the errors for a deck with nowhere to go."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.integration.test_cli_store import run_cli

# Invented notes: two answered questions (Chinese, English) and one the notes leave open.
NOTES = """# 注意力机制

## Q1: 什么是多查询注意力（MQA）？

**难度**: ⭐⭐

所有查询头共享同一组 key 和 value，KV Cache 缩小为原来的 1/头数。

## Q2: Why scale the dot product in attention?

A: Without dividing by sqrt(d_k) the logits grow with d_k & softmax saturates (gradients -> 0).

## Q3: 为什么 LayerNorm 放在残差之前更稳定？
"""


def deck_notes(apkg: Path, scratch: Path) -> list[tuple[str, list[str], list[str]]]:
    """(guid, fields, tags) of each note, read from the collection inside the package."""
    with zipfile.ZipFile(apkg) as package:
        assert set(package.namelist()) == {"collection.anki2", "media"}
        package.extract("collection.anki2", scratch)
    with sqlite3.connect(scratch / "collection.anki2") as db:
        rows = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    (scratch / "collection.anki2").unlink()
    return [(guid, fields.split("\x1f"), tags.split()) for guid, fields, tags in rows]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("anki")
    (root / "attention.md").write_text(NOTES, encoding="utf-8")
    run_cli(root / "s", "ingest", str(root / "attention.md"))
    return root / "s"


def test_one_card_per_question_with_its_answer_place_and_tags(store: Path, tmp_path: Path) -> None:
    done = run_cli(store, "export", "--format", "anki", "-o", str(tmp_path / "deck.apkg"))
    assert "3 cards (1 not answered in the notes)" in done.stdout
    notes = deck_notes(tmp_path / "deck.apkg", tmp_path)
    assert [fields for _, fields, _ in notes] == [
        ["Q1: 什么是多查询注意力（MQA）？", "所有查询头共享同一组 key 和 value，KV Cache 缩小为原来的 1/头数。",
         "attention.md:3 § 注意力机制"],
        ["Q2: Why scale the dot product in attention?",
         "Without dividing by sqrt(d_k) the logits grow with d_k &amp; softmax saturates (gradients -&gt; 0).",
         "attention.md:9 § 注意力机制"],
        ["Q3: 为什么 LayerNorm 放在残差之前更稳定？", "Not answered in your notes — write the answer.",
         "attention.md:13 § 注意力机制"],
    ]
    # Concepts by their display name, a space in it made '_' (Anki splits tags on spaces); difficulty from ⭐⭐.
    assert [tags for _, _, tags in notes] == [["Multi-Query_Attention", "difficulty::2"], ["attention"],
                                              ["LayerNorm", "unanswered"]]


def test_a_re_export_keeps_every_guid_even_after_an_edit(store: Path, tmp_path: Path) -> None:
    run_cli(store, "export", "--format", "anki", "-o", str(tmp_path / "first.apkg"))
    run_cli(store, "export", "--format", "anki", "-o", str(tmp_path / "again.apkg"))
    first = [guid for guid, _, _ in deck_notes(tmp_path / "first.apkg", tmp_path)]
    assert [guid for guid, _, _ in deck_notes(tmp_path / "again.apkg", tmp_path)] == first
    assert len(set(first)) == 3
    # A line above every question, and Q3 answered: the same three cards, now updated.
    edited = tmp_path / "attention.md"
    edited.write_text("> 复习用\n\n" + NOTES + "\n残差之前归一化让梯度直接流过恒等路径。\n", encoding="utf-8")
    run_cli(tmp_path / "s", "ingest", str(edited))
    run_cli(tmp_path / "s", "export", "--format", "anki", "-o", str(tmp_path / "edited.apkg"))
    notes = deck_notes(tmp_path / "edited.apkg", tmp_path)
    assert [guid for guid, _, _ in notes] == first
    assert notes[2][1][1:] == ["残差之前归一化让梯度直接流过恒等路径。", "attention.md:15 § 注意力机制"]


def test_json_stays_the_default_and_a_deck_needs_a_file(store: Path, tmp_path: Path) -> None:
    assert run_cli(store, "export").stdout == run_cli(store, "export", "--format", "json").stdout
    for args in (["--format", "anki"], ["--format", "anki", "-o", "-"]):
        refused = run_cli(store, "export", *args, check=False)
        assert refused.returncode == 2 and "give one with -o deck.apkg" in refused.stderr and not refused.stdout
    unknown = run_cli(store, "export", "--format", "csv", check=False)
    assert unknown.returncode == 2 and "use one of json, anki" in unknown.stderr
    missing = run_cli(store, "export", "--format", "anki", "-o", str(tmp_path / "no" / "deck.apkg"), check=False)
    assert missing.returncode == 2 and "cannot write" in missing.stderr
