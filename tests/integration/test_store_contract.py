"""One contract for every GraphStore, run against the embedded file and a real Bolt server (ArcadeDB or Neo4j)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import ConceptNotFound
from graph.merge import merge_graphs
from graph.models import Concept, Document, DocumentGraph, Evidence, KnowledgeGraph, Relation, RelationType
from graph.store import GraphStore
from graph.store.embedded import EmbeddedStore
from graph.study.gaps import gaps
from graph.study.index import StudyIndex
from graph.study.plans import study_path
from graph.study.topics import next_topics
from ingest.pipeline import ingest_paths
from tests.conftest import EXAMPLES, SEEDS, needs_seeds, neo4j_store, wipe
from tests.support.arcadedb import BoltServer

HOSTILE = ["O'Reilly \"Quoted\" Attention", "Back\\slash Norm", "}) MATCH (n) DETACH DELETE n //",
           "<script>alert(1)</script>", "x' OR 1=1 --", "$param {map: 1}"]


def extract(*paths: Path) -> list[DocumentGraph]:
    return ingest_paths([str(p) for p in paths], 5_000_000, {}, [], extraction="rules").graphs


def hostile_document(doc_id: str = "hostile.md") -> DocumentGraph:
    """A document whose concept names, aliases, sections and sentences are all injection attempts."""
    concepts = [Concept(id=f"h{i}", name=name, aliases=[name + "'", "\\" + name], definition=name, mentions=2,
                        signals=["discovered"]) for i, name in enumerate(HOSTILE)]
    relations = [Relation(source=f"h{i}", target=f"h{i + 1}", type=RelationType.USES, confidence=0.7, evidence=[
        Evidence(document=doc_id, line=i + 1, section=HOSTILE[i], text=f"{HOSTILE[i]} 使用 {HOSTILE[i + 1]}")])
        for i in range(len(HOSTILE) - 1)]
    document = Document(id=doc_id, path=doc_id, title=HOSTILE[2], sha256="0" * 64, encoding="utf-8", chars=1, lines=9)
    return DocumentGraph(document=document, concepts=concepts, relations=relations)


def test_ingest_gives_the_merged_graph(store: GraphStore) -> None:
    graphs = extract(EXAMPLES)
    returned = store.replace_documents(graphs)
    expected = merge_graphs(graphs)
    assert store.graph() == expected == returned
    assert len(expected.typed_relations()) > 20
    assert {d.id for d in store.documents()} == {g.document.id for g in graphs}
    assert store.document_hashes() == {g.document.id: g.document.sha256 for g in graphs}
    assert store.document_graphs() == {g.document.id: g for g in graphs}


def test_reingest_is_idempotent(store: GraphStore) -> None:
    graphs = extract(EXAMPLES)
    store.replace_documents(graphs)
    first = store.graph()
    store.replace_documents(graphs)
    store.replace_documents(extract(EXAMPLES))
    assert store.graph() == first


def test_revision_changes_with_every_committed_write_and_only_then(store: GraphStore) -> None:
    empty = store.revision()
    assert store.revision() == empty
    store.replace_documents(extract(EXAMPLES))
    first = store.revision()
    store.graph()
    assert first != empty and store.revision() == first
    store.replace_documents([hostile_document()])
    assert store.revision() not in (empty, first)


def test_replacing_a_document_removes_what_only_it_supported(store: GraphStore, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# 对齐\n\nDPO 取代 PPO，不需要 reward model。\n", encoding="utf-8")
    (notes / "b.md").write_text("# 注意力\n\nGQA 是 MHA 的变体。\n", encoding="utf-8")
    store.replace_documents(extract(notes))
    pairs = {(r.source, r.target) for r in store.graph().typed_relations()}
    assert {("dpo", "ppo"), ("grouped-query-attention", "multi-head-attention")} <= pairs
    (notes / "b.md").write_text("# 注意力\n\nMQA 是 MHA 的变体。\n", encoding="utf-8")
    graph = store.replace_documents([g for g in extract(notes) if g.document.id == "notes/b.md"])
    assert graph == store.graph()
    pairs = {(r.source, r.target) for r in graph.typed_relations()}
    assert ("multi-query-attention", "multi-head-attention") in pairs and ("dpo", "ppo") in pairs
    assert ("grouped-query-attention", "multi-head-attention") not in pairs
    assert "grouped-query-attention" not in {c.id for c in graph.concepts}
    store.replace_documents([], removed=["notes/a.md"])
    assert "dpo" not in {c.id for c in store.graph().concepts}
    assert [d.id for d in store.documents()] == ["notes/b.md"]


def test_hostile_names_round_trip_and_harm_nothing(store: GraphStore) -> None:
    graphs = extract(EXAMPLES)
    store.replace_documents([*graphs, hostile_document()])
    graph = store.graph()
    assert graph == merge_graphs([*graphs, hostile_document()])
    names = {c.name for c in graph.concepts}
    assert set(HOSTILE) <= names
    assert len(graph.concepts) > len(HOSTILE) + 20  # the DETACH DELETE in a name deleted nothing
    for name in HOSTILE:
        assert store.find_concept(name).name == name
        assert store.find_concept(name + "'").name == name
    texts = {e.text for r in graph.relations for e in r.evidence}
    assert f"{HOSTILE[2]} 使用 {HOSTILE[3]}" in texts


def test_lookup_by_id_name_alias_and_suggestions(store: GraphStore) -> None:
    store.replace_documents(extract(EXAMPLES))
    rope = store.find_concept("旋轉位置編碼")  # traditional script, an alias
    assert rope.id == "rope"
    assert store.find_concept("ROPE").id == store.find_concept("rope").id == "rope"
    with pytest.raises(ConceptNotFound) as missing:
        store.find_concept("ropee")
    assert "RoPE" in missing.value.suggestions
    with pytest.raises(ConceptNotFound):
        store.neighbourhood("no-such-concept")


def test_neighbourhood_and_prerequisites_follow_the_relations(store: GraphStore) -> None:
    graphs = extract(EXAMPLES)
    store.replace_documents(graphs)
    graph = store.graph()
    ids = {c.id for c in graph.concepts}
    near = store.neighbourhood("dpo", depth=1)
    direct = {r.target if r.source == "dpo" else r.source for r in graph.typed_relations() if "dpo" in (r.source, r.target)}
    assert {c.id for c in near.concepts} == direct | {"dpo"}
    assert all(r.source in ids and r.target in ids and r.type.typed for r in near.relations)
    needed = store.prerequisite_subgraph("dpo")
    assert "ppo" in {c.id for c in needed.concepts}
    assert all(r.evidence for r in needed.relations)
    assert store.prerequisite_subgraph("dpo", max_depth=0).relations == []
    alone = store.neighbourhood("dpo", depth=0)
    assert [c.id for c in alone.concepts] == ["dpo"] and alone.relations == []
    with pytest.raises(ValueError, match="depth"):
        store.neighbourhood("dpo", depth=99)


def _every_read(store: GraphStore, graph: KnowledgeGraph) -> dict[str, object]:
    answers: dict[str, object] = {"graph": store.graph(), "documents": store.documents()}
    for concept in graph.concepts:
        for label in (concept.id, concept.name, *concept.aliases):
            answers[f"find {label}"] = store.find_concept(label).id
        answers[f"near2 {concept.id}"] = store.neighbourhood(concept.id, depth=2)
        answers[f"near0 {concept.id}"] = store.neighbourhood(concept.id, depth=0)
        answers[f"prereq {concept.id}"] = store.prerequisite_subgraph(concept.id)
    for concept in graph.concepts[::7]:
        answers[f"near1-all {concept.id}"] = store.neighbourhood(concept.id, depth=1, typed_only=False)
    index = StudyIndex(store.graph())  # the study engine reads the store's graph: same graph, same answers
    for concept in graph.concepts[::5]:
        answers[f"path {concept.id}"] = study_path(index, concept.id)
        answers[f"gaps {concept.id}"] = gaps(index, concept.id)
    answers["next"] = next_topics(index, [graph.concepts[0].id])
    for unknown in ("ropee", "transfomer", "注意力机智"):
        with pytest.raises(ConceptNotFound) as missing:
            store.find_concept(unknown)
        answers[f"suggest {unknown}"] = missing.value.suggestions
    return answers


def _stores_agree(paths: list[Path], tmp_path: Path, server: BoltServer) -> None:
    graphs = extract(*paths)
    embedded, remote = EmbeddedStore(tmp_path / "store"), neo4j_store(server)
    wipe(server)
    embedded.replace_documents(graphs)
    remote.replace_documents(graphs)
    graph = embedded.graph()
    assert len(graph.concepts) > 20
    expected, actual = _every_read(embedded, graph), _every_read(remote, graph)
    assert expected.keys() == actual.keys()
    assert [key for key in expected if expected[key] != actual[key]] == []


def test_both_stores_give_the_same_answer_to_every_read_on_the_examples(tmp_path: Path,
                                                                         bolt_server: BoltServer) -> None:
    _stores_agree([EXAMPLES], tmp_path, bolt_server)


@needs_seeds()
@pytest.mark.seeds
def test_both_stores_give_the_same_answer_to_every_read_on_the_seeds(tmp_path: Path, bolt_server: BoltServer) -> None:
    _stores_agree([SEEDS], tmp_path, bolt_server)
