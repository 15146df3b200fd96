"""Merging document graphs and the embedded store: identity, replacement, removal, atomic files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import StoreCorrupt
from graph.merge import merge_graphs
from graph.models import KnowledgeGraph
from graph.models import RelationType as R
from graph.store.durable_files import replace_file
from graph.store.embedded import EmbeddedStore
from ingest.pipeline import extract_graphs
from ingest.reader import SourceFile


def _source(doc_id: str, text: str) -> SourceFile:
    return SourceFile(doc_id, Path(doc_id), text, "utf-8", str(hash(text)))


def _typed(graph) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(r.source, r.type.value, r.target) for r in graph.relations if r.type is not R.RELATED_TO}


def test_bracket_aliases_join_mentions_across_documents() -> None:
    graphs = extract_graphs([_source("a.md", "## 奇异注意力（Weird Attention）\n\n奇异注意力很快。"),
                             _source("b.md", "Weird Attention 使用 RoPE。")])
    graph = merge_graphs(graphs)
    weird = [c for c in graph.concepts if "Weird Attention" in (c.name, *c.aliases)]
    assert len(weird) == 1 and weird[0].mentions >= 3
    assert (weird[0].id, "USES", "rope") in _typed(graph)


def test_a_name_alone_states_no_relation() -> None:
    """'QLoRA' contains 'LoRA', but no sentence here says how they relate: no typed relation (issue 17)."""
    graph = merge_graphs(extract_graphs([_source("a.md", "QLoRA 和 Byte-Level BPE 以及 AdamW、ZeRO-3。\n\nLoRA、BPE、Adam、ZeRO。")]))
    assert _typed(graph) == set()


def test_store_replaces_and_removes_documents(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.replace_documents(extract_graphs([_source("a.md", "DPO 取代了 PPO。"), _source("b.md", "GQA 是 MHA 的变体。")]))
    assert {("dpo", "REPLACES", "ppo"), ("grouped-query-attention", "VARIANT_OF", "multi-head-attention")} <= _typed(store.graph())
    store.replace_documents(extract_graphs([_source("a.md", "DPO 基于 RLHF。")]))
    assert ("dpo", "REPLACES", "ppo") not in _typed(store.graph())
    assert ("dpo", "USES", "rlhf") in _typed(store.graph())
    store.replace_documents([], removed=["b.md"])
    assert "grouped-query-attention" not in {c.id for c in store.graph().concepts}
    reopened = EmbeddedStore(tmp_path)
    assert reopened.graph() == store.graph()


def test_corrupt_store_file_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreCorrupt, match="ingest the notes again"):
        EmbeddedStore(tmp_path).graph()


def test_every_relation_has_evidence_with_document_line_section_and_sentence() -> None:
    graph = merge_graphs(extract_graphs([_source("a.md", "# 标题\n\n## RoPE\n\nLLaMA 采用 RoPE。\n")]))
    relation = next(r for r in graph.relations if r.type is R.USES)
    evidence = relation.evidence[0]
    assert (evidence.document, evidence.line, evidence.section, evidence.text) == ("a.md", 5, "RoPE", "LLaMA 采用 RoPE。")


def test_a_write_that_dies_before_its_commit_leaves_the_previous_pair(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore(tmp_path)
    store.replace_documents(extract_graphs([_source("a.md", "DPO 取代了 PPO。")]))
    before, documents_before = store.graph(), store.document_graphs()
    calls = []

    def dies_at_commit(target: Path, payload: bytes, durable: bool = True) -> None:
        calls.append(target.name)
        if target.name == "graph.json":
            raise KeyboardInterrupt  # as a kill would, after the new documents file is on disk
        replace_file(target, payload, durable)

    monkeypatch.setattr("graph.store.embedded.replace_file", dies_at_commit)
    with pytest.raises(KeyboardInterrupt):
        store.replace_documents(extract_graphs([_source("b.md", "GQA 是 MHA 的变体。")]))
    monkeypatch.undo()
    reopened = EmbeddedStore(tmp_path)
    assert calls[0].startswith("documents-") and reopened.graph() == before
    assert reopened.document_graphs() == documents_before
    reopened.replace_documents([], removed=["a.md"])  # the next write cleans up the orphan
    assert len(list(tmp_path.glob("documents-*.json*"))) == 1


def test_version_1_stores_with_inline_documents_still_load(tmp_path: Path) -> None:
    graphs = extract_graphs([_source("a.md", "DPO 取代了 PPO。")])
    legacy = {"version": 1, "documents": {g.document.id: g.model_dump(mode="json") for g in graphs},
              "graph": merge_graphs(graphs).model_dump(mode="json")}
    (tmp_path / "graph.json").write_text(__import__("json").dumps(legacy), encoding="utf-8")
    store = EmbeddedStore(tmp_path)
    assert store.graph() == merge_graphs(graphs) and list(store.document_graphs()) == ["a.md"]
    store.replace_documents(extract_graphs([_source("b.md", "GQA 是 MHA 的变体。")]))
    assert set(EmbeddedStore(tmp_path).document_graphs()) == {"a.md", "b.md"}


def test_version_2_stores_with_one_json_documents_file_still_load(tmp_path: Path) -> None:
    graphs = extract_graphs([_source("a.md", "DPO 取代了 PPO。")])
    documents = {"documents": {g.document.id: g.model_dump(mode="json") for g in graphs}}
    (tmp_path / "documents-0123.json").write_text(json.dumps(documents), encoding="utf-8")
    legacy = {"version": 2, "documents_file": "documents-0123.json", "graph": merge_graphs(graphs).model_dump(mode="json")}
    (tmp_path / "graph.json").write_text(json.dumps(legacy), encoding="utf-8")
    store = EmbeddedStore(tmp_path)
    assert store.graph() == merge_graphs(graphs) and list(store.document_graphs()) == ["a.md"]
    store.replace_documents(extract_graphs([_source("b.md", "GQA 是 MHA 的变体。")]))
    assert set(EmbeddedStore(tmp_path).document_graphs()) == {"a.md", "b.md"}
    assert not (tmp_path / "documents-0123.json").exists()


def test_the_store_files_hold_a_record_per_line_and_graph_json_stays_json(tmp_path: Path) -> None:
    graphs = extract_graphs([_source("a.md", "# 笔记\n\nDPO 取代了 PPO。GQA 是 MHA 的变体。\n"),
                             _source("b.md", "QLoRA 基于 LoRA。\n")])
    EmbeddedStore(tmp_path).replace_documents(graphs)
    raw = (tmp_path / "graph.json").read_bytes()
    parsed = json.loads(raw)
    merged = merge_graphs(graphs)
    assert parsed["version"] == 3 and KnowledgeGraph.model_validate(parsed["graph"]) == merged
    assert raw.count(b"\n") == 8 + len(merged.documents) + len(merged.concepts) + len(merged.relations)
    reopened = EmbeddedStore(tmp_path)
    assert reopened.graph() == merged
    assert reopened.document_graphs() == {g.document.id: g for g in graphs}
    documents_file = next(tmp_path.glob("documents-*.jsonl"))
    assert all(json.loads(line) for line in documents_file.read_text(encoding="utf-8").splitlines())


def test_a_torn_record_line_is_a_clear_store_error(tmp_path: Path) -> None:
    EmbeddedStore(tmp_path).replace_documents(extract_graphs([_source("a.md", "DPO 取代了 PPO。")]))
    path = tmp_path / "graph.json"
    whole = path.read_bytes()
    for cut in (whole[:-40], whole[: whole.rindex(b"]")]):  # mid-record, and after a whole record line
        path.write_bytes(cut)
        with pytest.raises(StoreCorrupt, match=r"graph\.json"):
            EmbeddedStore(tmp_path).graph()
