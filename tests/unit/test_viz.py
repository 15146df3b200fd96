"""Maps from small graphs built here: what each view draws, escaping, the node cap, bulk adds, no CDN."""

from __future__ import annotations

import re

import pytest

from graph.models import Concept, Evidence, KnowledgeGraph, Relation, RelationType
from graph.network import concept_network
from graph.study.answers import GapItem, GapReport, StudyPath, StudyStep
from tests.support.maps import map_records
from viz.render import BulkNetwork, add_edges, add_nodes
from viz.views import concept_map, gaps_map, study_path_map

XSS = "<img src=x onerror=alert(1)>"


def relation(source: str, kind: str, target: str, text: str = "") -> Relation:
    return Relation(source=source, target=target, type=RelationType(kind), confidence=0.8, evidence=[
        Evidence(document="notes.md", line=3, section="§ <b>s</b>", text=text or f"{source} {kind} {target}")])


def network(*relations: Relation, names: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    ids = sorted({r.source for r in relations} | {r.target for r in relations})
    concepts = [Concept(id=cid, name=(names or {}).get(cid, cid.upper()), aliases=[f"{cid}-alias"], mentions=2,
                        definition=f"{cid} defined") for cid in ids]
    return concept_network(KnowledgeGraph(concepts=concepts, relations=list(relations)))


def page_data(html: str) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    return map_records(html, "node"), map_records(html, "edge")


def test_concept_map_draws_every_relation_with_its_style_and_evidence() -> None:
    html = concept_map(network(relation("dpo", "REPLACES", "ppo", "DPO 取代了 PPO"), relation("gqa", "VARIANT_OF", "mha"),
                               relation("gqa", "COMPARED_WITH", "mha"), relation("dpo", "RELATED_TO", "gqa")))
    nodes, edges = page_data(html)
    assert {n["id"] for n in nodes} == {"dpo", "ppo", "gqa", "mha"}
    by_id = {e["id"]: e for e in edges}
    assert by_id["dpo|REPLACES|ppo"]["arrows"]["to"]["enabled"] is True
    assert "DPO 取代了 PPO" in by_id["dpo|REPLACES|ppo"]["title"] and "notes.md:3" in by_id["dpo|REPLACES|ppo"]["title"]
    assert by_id["gqa|COMPARED_WITH|mha"]["arrows"]["to"]["enabled"] is False
    assert by_id["dpo|RELATED_TO|gqa"]["dashes"] is True
    # Two relations between GQA and MHA: the second is drawn as its own curve.
    assert "smooth" not in by_id["gqa|VARIANT_OF|mha"] and by_id["gqa|COMPARED_WITH|mha"]["smooth"]["enabled"]
    assert "replaces" in html and "co-occurs with" in html  # the legend


def test_focus_and_radius_limit_the_map() -> None:
    graph = network(relation("a", "USES", "b"), relation("b", "USES", "c"), relation("c", "USES", "d"))
    assert {n["id"] for n in page_data(concept_map(graph, "b", 1))[0]} == {"a", "b", "c"}
    assert {n["id"] for n in page_data(concept_map(graph, "b", 2))[0]} == {"a", "b", "c", "d"}


def test_node_cap_keeps_the_most_connected_and_says_so() -> None:
    hub = [relation("hub", "USES", f"leaf{i}") for i in range(9)]
    html = concept_map(network(*hub, relation("x", "USES", "y")), node_cap=4)
    nodes, _ = page_data(html)
    assert len(nodes) == 4 and "hub" in {n["id"] for n in nodes}
    assert "showing the 4 most connected of 12 concepts" in html


def test_communities_are_seeded_so_colours_repeat() -> None:
    graph = network(*[relation(f"a{i}", "USES", f"a{i + 1}") for i in range(6)],
                    *[relation(f"b{i}", "USES", f"b{i + 1}") for i in range(6)], relation("a0", "USES", "b0"))
    first, again = page_data(concept_map(graph))[0], page_data(concept_map(graph))[0]
    assert [n["color"] for n in first] == [n["color"] for n in again]
    assert len({n["color"] for n in first}) >= 2


def test_hostile_names_are_escaped_in_tooltips_and_cannot_end_the_script() -> None:
    html = concept_map(network(relation("x", "VARIANT_OF", "rope", f"{XSS} 是 RoPE 的变体"),
                               names={"x": XSS, "rope": "</script><script>alert(2)</script>"}))
    nodes, edges = page_data(html)
    titles = " ".join(n["title"] for n in nodes)
    assert "<img" not in titles and "&lt;img src=x onerror=alert(1)&gt;" in titles
    assert {n["label"] for n in nodes} == {XSS, "</script><script>alert(2)</script>"}  # labels are canvas text
    assert "&lt;b&gt;s&lt;/b&gt;" in edges[0]["title"]  # the section heading too
    assert "</script><script>alert(2)" not in html  # tojson escaped the '<' inside the script
    assert re.search(r"script-src 'nonce-[\w-]+'", html)


def test_pages_are_self_contained() -> None:
    html = concept_map(network(relation("a", "USES", "b")))
    assert "vis.Network" in html and "bootstrap" not in html.lower()
    assert not re.search(r"""(src|href)=["']?https?:""", html)


def test_study_path_numbers_steps_dims_known_and_marks_the_target() -> None:
    graph = network(relation("dpo", "REPLACES", "ppo"), relation("ppo", "USES", "rl"))
    plan = StudyPath(target="dpo", target_name="DPO", skipped_known=["RL"], steps=[
        StudyStep(order=1, concept="ppo", name="PPO", depth=1, needed_for="dpo", effort_minutes=20),
        StudyStep(order=2, concept="dpo", name="DPO", depth=0, effort_minutes=20)])
    nodes, edges = page_data(study_path_map(graph, plan, known=["rl"]))
    by_id = {n["id"]: n for n in nodes}
    assert by_id["ppo"]["label"] == "1. PPO" and by_id["dpo"]["label"] == "2. DPO"
    assert by_id["ppo"]["level"] < by_id["dpo"]["level"] and by_id["dpo"]["borderWidth"] == 4
    assert by_id["rl"]["color"] == "#dcdcdc" and "known" in by_id["rl"]["title"]
    assert {e["id"] for e in edges} == {"dpo|REPLACES|ppo", "ppo|USES|rl"}


def test_gaps_map_marks_each_kind_of_gap() -> None:
    graph = network(relation("lora", "EXTENDS", "ft"), relation("qlora", "EXTENDS", "lora"), relation("q", "USES", "x"))
    report = GapReport(a="lora", b="qlora", area=["lora", "qlora", "ft", "q"], items=[
        GapItem(kind="bridging", concepts=["ft"], explanation="ft bridges"),
        GapItem(kind="unexplained", concepts=["q"], explanation="q never defined"),
        GapItem(kind="unanswered", concepts=["lora"], explanation="unanswered in notes.md:9: 什么是 LoRA?"),
        GapItem(kind="missing_link", concepts=["qlora", "q"], explanation="named together", evidence=["QLoRA 用 q"])])
    nodes, edges = page_data(gaps_map(graph, report))
    by_id = {n["id"]: n for n in nodes}
    assert by_id["ft"]["color"] == "#59a14f" and by_id["q"]["color"] == "#f28e2b"
    question = next(n for n in nodes if n["shape"] == "box")
    assert "什么是 LoRA?" in question["title"]
    missing = next(e for e in edges if e["id"].startswith("gap-"))
    assert (missing["from"], missing["to"]) == ("qlora", "q") and missing["dashes"] and "QLoRA 用 q" in missing["title"]


def test_bulk_adds_refuse_edges_to_unknown_nodes_and_skip_duplicates() -> None:
    page = BulkNetwork()
    add_nodes(page, [{"id": "a", "label": "A"}, {"id": "a", "label": "again"}, {"id": "b", "label": "b"}])
    add_edges(page, [{"from": "a", "to": "b", "id": "e"}, {"from": "a", "to": "b", "id": "e"}])
    assert [n["label"] for n in page.nodes] == ["A", "b"] and len(page.edges) == 1
    assert page.get_nodes() == ["a", "b"]  # pyvis's own view of the same records
    with pytest.raises(ValueError, match="names a node"):
        add_edges(page, [{"from": "a", "to": "nowhere"}])
