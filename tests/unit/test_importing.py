"""`graph.importing`: an export read back, checked whole, and cut into per-document graphs."""

from __future__ import annotations

import json

import pytest

from graph.errors import InputError
from graph.importing import read_graph_file
from graph.merge import merge_graphs


def graph_file(**overrides: object) -> str:
    data = {
        "concepts": [{"id": "dpo", "name": "DPO", "aliases": ["直接偏好优化"], "mentions": 3, "definition": "d"},
                     {"id": "ppo", "name": "PPO", "mentions": 2}, {"id": "rlhf", "name": "RLHF"},
                     {"id": "lonely", "name": "Lonely"}],
        "relations": [
            {"source": "dpo", "target": "ppo", "type": "REPLACES", "confidence": 0.8,
             "evidence": [{"document": "b.md", "line": 3, "text": "DPO 取代了 PPO", "rule": "cue:取代"},
                          {"document": "a.md", "line": 9, "text": "DPO 取代 PPO", "rule": "cue:取代"}]},
            {"source": "ppo", "target": "rlhf", "type": "PART_OF", "confidence": 0.7,
             "evidence": [{"document": "a.md", "line": 1, "text": "RLHF 包括 PPO", "rule": "cue:包括"}]},
        ],
        "documents": [{"id": "a.md", "title": "A", "sha256": "x"}, {"id": "b.md", "title": "B", "sha256": "y"}],
    }
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


def test_each_relation_lives_in_the_document_of_its_first_evidence_and_keeps_its_confidence() -> None:
    graphs = {g.document.id: g for g in read_graph_file(graph_file())}
    assert [(r.source, r.target) for r in graphs["b.md"].relations] == [("dpo", "ppo")]
    merged = merge_graphs(graphs.values())
    replaces = next(r for r in merged.relations if r.type.value == "REPLACES")
    assert replaces.confidence == 0.8 and len(replaces.evidence) == 2
    dpo = next(c for c in merged.concepts if c.id == "dpo")
    assert dpo.mentions == 3 and dpo.definition == "d"  # copies outside the home document add nothing
    assert "lonely" in {c.id for c in merged.concepts}  # a concept no relation uses is kept too
    assert {d.id for d in merged.documents} == {"a.md", "b.md"}


def test_derived_relations_are_left_to_the_merge() -> None:
    derived = {"source": "dpo", "target": "ppo", "type": "VARIANT_OF", "confidence": 0.5,
               "evidence": [{"document": "a.md", "line": 1, "text": "x", "rule": "name:head+cue:区别"}]}
    graphs = read_graph_file(graph_file(relations=[derived]))
    assert not any(g.relations for g in graphs)


@pytest.mark.parametrize(("raw", "message"), [
    ("{not json", "not JSON"),
    ("[1, 2]", "must be a JSON object"),
    (json.dumps({"relations": []}), "concepts"),
    (graph_file(relations=[{"source": "dpo", "target": "nobody", "type": "USES", "confidence": 0.5,
                            "evidence": [{"document": "a.md", "line": 1, "text": "t"}]}]), "'nobody'"),
    (graph_file(relations=[{"source": "dpo", "target": "ppo", "type": "LIKES", "confidence": 0.5,
                            "evidence": [{"document": "a.md", "line": 1, "text": "t"}]}]), "relations.0.type"),
    (graph_file(relations=[{"source": "dpo", "target": "ppo", "type": "USES", "confidence": 1.5,
                            "evidence": [{"document": "a.md", "line": 1, "text": "t"}]}]), "confidence"),
    (graph_file(relations=[{"source": "dpo", "target": "ppo", "type": "USES", "confidence": 0.5,
                            "evidence": []}]), "evidence"),
    (graph_file(concepts=[{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]), "appears twice"),
    (graph_file(relations=[{"source": "dpo", "target": "ppo", "type": "COMPARED_WITH", "confidence": 0.5,
                            "first": "rlhf", "evidence": [{"document": "a.md", "line": 1, "text": "t"}]}]),
     "neither of its sides"),
])
def test_bad_files_are_refused_with_where_the_problem_is(raw: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_graph_file(raw, "g.json")
