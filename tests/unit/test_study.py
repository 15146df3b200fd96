"""The study engine on small graphs built here: orders, cycles, known sets, ties, connections, gaps."""

from __future__ import annotations

import pytest

from graph.errors import ConceptNotFound
from graph.models import (
    Concept,
    Document,
    Evidence,
    KnowledgeGraph,
    Location,
    Question,
    Relation,
    RelationType,
    Section,
)
from graph.study.doctor import doctor
from graph.study.gaps import gaps
from graph.study.index import StudyIndex
from graph.study.plans import path_between, study_path
from graph.study.topics import next_topics, related_topics


def relation(source: str, kind: str, target: str, confidence: float = 0.8, evidence: int = 1) -> Relation:
    return Relation(source=source, target=target, type=RelationType(kind), confidence=confidence, evidence=[
        Evidence(document="notes.md", line=i + 1, section="s", text=f"{source} {kind} {target} ({i})")
        for i in range(evidence)])


def concept(cid: str, definition: str | None = "defined", lines: tuple[int, ...] = (5, 9)) -> Concept:
    return Concept(id=cid, name=cid.upper(), definition=definition, mentions=len(lines),
                   locations=[Location(document="notes.md", line=line, section="s") for line in lines])


def index(*relations: Relation, questions: tuple[Question, ...] = (), undefined: tuple[str, ...] = ()) -> StudyIndex:
    ids = sorted({r.source for r in relations} | {r.target for r in relations} | set(undefined))
    document = Document(id="notes.md", path="notes.md", title="t", sha256="0", encoding="utf-8", chars=1, lines=99,
                        questions=list(questions))
    concepts = [concept(cid, None if cid in undefined else "defined", (3,) if cid in undefined else (5, 9))
                for cid in ids]
    return StudyIndex(KnowledgeGraph(documents=[document], concepts=concepts, relations=list(relations)))


RLHF = (relation("dpo", "REPLACES", "rlhf"), relation("rlhf", "USES", "ppo"), relation("rlhf", "USES", "sft"),
        relation("ppo", "USES", "policy-gradient"), relation("qlora", "EXTENDS", "lora"),
        relation("head", "PART_OF", "mha"), relation("gqa", "VARIANT_OF", "mha"),
        relation("gqa", "COMPARED_WITH", "mqa"), relation("mqa", "VARIANT_OF", "mha"))


def names(plan) -> list[str]:  # type: ignore[no-untyped-def]
    return [step.concept for step in plan.steps]


def test_prerequisites_come_first_and_the_target_last() -> None:
    plan = study_path(index(*RLHF), "DPO")
    order = names(plan)
    assert order[-1] == "dpo" and set(order) == {"dpo", "rlhf", "ppo", "sft"}
    assert order.index("ppo") < order.index("rlhf") < order.index("dpo")
    assert [s.concept for s in plan.background] == ["policy-gradient"]  # three weak links away: background
    dpo_step = plan.steps[-1]
    assert dpo_step.depth == 0 and dpo_step.why is None and dpo_step.relevance == 1.0
    rlhf_step = next(s for s in plan.steps if s.concept == "rlhf")
    assert rlhf_step.needed_for == "dpo" and rlhf_step.why and rlhf_step.why.type is RelationType.REPLACES
    assert rlhf_step.why.sentence == "dpo REPLACES rlhf (0)" and rlhf_step.read_at[0].line == 5
    ppo_step = next(s for s in plan.steps if s.concept == "ppo")  # why: the chain to the target, each hop as stated
    assert [(w.source, w.type.value, w.target) for w in ppo_step.chain] == [("rlhf", "USES", "ppo"),
                                                                              ("dpo", "REPLACES", "rlhf")]
    assert ppo_step.relevance < rlhf_step.relevance


def test_a_part_related_to_nothing_else_is_a_detail_and_comparisons_give_no_order() -> None:
    studied = index(*RLHF)
    mha = study_path(studied, "MHA")
    assert names(mha) == ["mha"] and [s.concept for s in mha.background] == ["head"]
    assert names(study_path(studied, "GQA")) == ["mha", "gqa"]  # MQA is only compared with GQA


def test_known_concepts_and_what_they_imply_are_skipped() -> None:
    plan = study_path(index(*RLHF), "dpo", known=["RLHF"])
    assert names(plan) == ["dpo"] and plan.background == []
    assert set(plan.skipped_known) == {"RLHF", "PPO", "SFT", "POLICY-GRADIENT"}


def test_max_depth_and_limit_keep_the_most_relevant_prerequisites() -> None:
    studied = index(*RLHF)
    assert names(study_path(studied, "dpo", max_depth=1)) == ["rlhf", "dpo"]
    assert not study_path(studied, "dpo", max_depth=1).complete
    limited = study_path(studied, "dpo", limit=2)  # most relevant first: RLHF, then PPO before SFT by name
    assert names(limited) == ["ppo", "rlhf", "dpo"] and [s.concept for s in limited.background] == [
        "sft", "policy-gradient"]
    assert limited.complete and study_path(studied, "dpo").complete


def test_a_hub_passes_on_less_and_everything_lists_all_that_is_reachable() -> None:
    spokes = [relation(f"user{i}", "USES", "hub") for i in range(30)]
    studied = index(relation("target", "USES", "hub"), relation("target", "USES", "plain"),
                    relation("hub", "USES", "behind-hub"), relation("plain", "USES", "behind-plain"), *spokes)
    plan = study_path(studied, "target")
    relevance = {s.concept: s.relevance for s in [*plan.steps, *plan.background]}
    assert relevance["behind-plain"] > relevance["behind-hub"]  # the hub's 31 edges damp what lies behind it
    far = index(*(relation(f"c{i}", "USES", f"c{i + 1}", 0.5) for i in range(8)))
    assert len(study_path(far, "c0").background) < 7 <= len(study_path(far, "c0", everything=True).background)


def test_ties_go_to_foundations_then_name() -> None:
    studied = index(relation("z", "USES", "b"), relation("z", "USES", "a"), relation("b", "USES", "c"))
    assert names(study_path(studied, "z")) == ["a", "c", "b", "z"]


def test_cycles_drop_their_weakest_edge_and_doctor_reports_it() -> None:
    studied = index(relation("a", "USES", "b", 0.9), relation("b", "USES", "c", 0.9), relation("c", "USES", "a", 0.3),
                    relation("d", "COMPARED_WITH", "a"))
    assert [(d.before, d.after) for d in studied.order.dropped] == [("a", "c")]
    assert names(study_path(studied, "a")) == ["c", "b", "a"]
    report = doctor(studied)
    assert len(report.dropped_cycle_edges) == 1 and "strength 0.30" in report.dropped_cycle_edges[0]


def test_unknown_target_suggests_close_matches() -> None:
    with pytest.raises(ConceptNotFound) as missing:
        study_path(index(*RLHF), "RLFH")
    assert "RLHF" in missing.value.suggestions


def test_connection_prefers_the_prerequisite_chain_then_any_relation() -> None:
    studied = index(*RLHF)
    chain = path_between(studied, "policy-gradient", "dpo")
    assert chain.kind == "prerequisite chain" and chain.concepts == ["policy-gradient", "ppo", "rlhf", "dpo"]
    assert [hop.why.type for hop in chain.hops] == [RelationType.USES, RelationType.USES, RelationType.REPLACES]
    assert path_between(studied, "dpo", "ppo").kind == "reverse prerequisite chain"
    assert path_between(studied, "mqa", "gqa").concepts == ["mqa", "gqa"]
    assert path_between(studied, "dpo", "qlora").kind == "none"


def test_next_topics_are_the_learnable_frontier_ranked_by_what_they_unlock() -> None:
    studied = index(*RLHF)
    frontier = next_topics(studied, known=["policy-gradient", "sft"])
    # MHA's head is a detail learnt with it, not a prerequisite: MHA is learnable and unlocks GQA and MQA.
    assert [(t.concept, t.unlocks) for t in frontier] == [("mha", 2), ("ppo", 1), ("lora", 1)]
    assert frontier[1].needs == ["POLICY-GRADIENT"]  # RLHF is not there: it still needs PPO
    toward = next_topics(studied, known=["policy-gradient", "sft"], goal="dpo")
    assert [t.concept for t in toward] == ["ppo"] and toward[0].relevance


def test_a_weak_link_unlocks_nothing() -> None:
    """'regularization unlocks BERT' came from a training tip: a weak USES is no core prerequisite."""
    studied = index(relation("bert", "USES", "transformer", 0.8), relation("bert", "USES", "regularization", 0.3),
                    relation("transformer", "USES", "attention", 0.8))
    frontier = {t.concept: t for t in next_topics(studied, known=["attention"])}
    assert "regularization" not in frontier and frontier["transformer"].unlocks_examples == ["BERT"]


def test_related_topics_rank_comparisons_variants_and_siblings() -> None:
    found = {t.concept: t.kind for t in related_topics(index(*RLHF), "gqa")}
    assert found == {"mqa": "comparison", "mha": "variant", "head": "sibling"}
    assert related_topics(index(*RLHF), "mqa")[0].concept == "gqa"
    siblings = {t.concept: t.kind for t in related_topics(index(*RLHF), "head")}
    assert siblings == {"gqa": "sibling", "mqa": "sibling"}


def test_gaps_name_bridges_unexplained_concepts_unanswered_questions_and_missing_links() -> None:
    asked = Question(id="q1", text="What is GRPO?", line=3, section="s", answered=False, difficulty=3,
                     concepts=["grpo"])
    asked_use = relation("grpo", "USES", "ppo").model_copy(update={"evidence": [Evidence(
        document="notes.md", line=3, section="s", text="What is GRPO, and why does it use PPO?")]})
    listed = Relation(source="grpo", target="dpo", type=RelationType.RELATED_TO, confidence=0.3, evidence=[
        Evidence(document="notes.md", line=7, section="s", text="常见算法：GRPO、DPO", rule="co-occurrence")])
    studied = index(asked_use, relation("ppo", "USES", "pg"), relation("dpo", "USES", "pg"), listed,
                    questions=(asked,), undefined=("grpo",))
    report = gaps(studied, "grpo", "dpo", known=["pg"])
    kinds = {(item.kind, tuple(item.concepts)) for item in report.items}
    assert ("bridging", ("pg",)) in kinds and ("bridging", ("ppo",)) in kinds
    assert ("unexplained", ("grpo",)) in kinds
    assert ("unanswered", ("grpo",)) in kinds
    assert ("missing_link", ("dpo", "grpo")) in kinds
    assert ("missing_prerequisite", ("ppo",)) in kinds
    link = next(i for i in report.items if i.kind == "missing_link" and i.concepts == ["dpo", "grpo"])
    assert link.evidence == ["常见算法：GRPO、DPO"]
    assert all(item.explanation and "\n" not in item.explanation for item in report.items)


def test_a_missing_link_is_a_pair_only_ever_listed_side_by_side() -> None:
    def together(a: str, b: str, text: str, rule: str = "co-occurrence") -> Relation:
        return Relation(source=a, target=b, type=RelationType.RELATED_TO, confidence=0.3, evidence=[
            Evidence(document="notes.md", line=20, section="s", text=text, rule=rule)])
    studied = index(*(relation("topic", "USES", c) for c in ("alpha", "beta", "gamma", "delta")),
                    together("alpha", "beta", "常见的有 ALPHA、BETA 等"),
                    together("alpha", "gamma", "ALPHA 通过 GAMMA 训练", "co-occurrence+cue"),
                    together("alpha", "delta", "ALPHA 的输出会送进 DELTA"))
    links = [tuple(i.concepts) for i in gaps(studied, "topic").items if i.kind == "missing_link"]
    # alpha–gamma: a cue relates them; alpha–delta: words between them say how; beta–gamma: never named together
    assert links == [("alpha", "beta")]


def test_gaps_stay_in_the_topic_s_own_sections_and_close_neighbours() -> None:
    document = Document(id="notes.md", path="notes.md", title="t", sha256="0", encoding="utf-8", chars=1, lines=99,
                        sections=[Section(id="s1", heading="TOPIC", level=2, line_start=1, line_end=10),
                                  Section(id="s2", heading="Other", level=2, line_start=11, line_end=30)])
    concepts = [concept("topic", lines=(1,)), concept("near", None, (4,)), concept("inside", None, (6,)),
                concept("far", None, (20,)), concept("farther", None, (22,))]
    studied = StudyIndex(KnowledgeGraph(documents=[document], concepts=concepts, relations=[
        relation("topic", "USES", "near"), relation("near", "USES", "far"), relation("far", "USES", "farther")]))
    report = gaps(studied, "topic")
    assert {"topic", "near", "inside"} <= set(report.area) and not {"far", "farther"} & set(report.area)
    unexplained = {c for item in report.items if item.kind == "unexplained" for c in item.concepts}
    assert unexplained == {"near", "inside"}


def test_each_kind_is_capped_and_the_rest_counted() -> None:
    many = [relation("topic", "USES", f"u{i:02d}") for i in range(14)]
    studied = index(*many, undefined=tuple(f"u{i:02d}" for i in range(14)))
    capped = gaps(studied, "topic", limit=5)
    assert sum(i.kind == "unexplained" for i in capped.items) == 5 and capped.more == {"unexplained": 9}
    full = gaps(studied, "topic", everything=True)
    assert sum(i.kind == "unexplained" for i in full.items) == 14 and full.more == {}


def test_empty_answers_are_empty_not_errors() -> None:
    studied = index(*RLHF)
    assert names(study_path(studied, "policy-gradient")) == ["policy-gradient"]  # nothing to learn first
    everything = [c for c in studied.concepts]
    assert next_topics(studied, known=everything) == []
    assert related_topics(studied, "qlora") == []
    assert study_path(studied, "dpo", known=["dpo"]).steps[-1].concept == "dpo"


def test_plan_ancestors_in_one_pass_match_networkx() -> None:
    """The one-pass ancestor sets that order a plan equal networkx's walk from every node."""
    import random

    import networkx as nx

    from graph.study.plan_order import ancestor_sets

    rng = random.Random(5)
    order = nx.DiGraph()
    order.add_nodes_from(range(60))
    order.add_edges_from((a, b) for a in range(60) for b in range(a + 1, 60) if rng.random() < 0.08)
    assert ancestor_sets({node: list(order.pred[node]) for node in order}) == {node: nx.ancestors(order, node) for node in order}


def test_plan_order_matches_networkx_lexicographical_sort() -> None:
    """Kahn's order over plain dicts equals networkx's lexicographical topological sort with the same key,
    and a cycle is refused the way networkx refuses it."""
    import random

    import networkx as nx
    import pytest

    from graph.study.plan_order import ordered

    rng = random.Random(9)
    for _ in range(20):
        order = nx.DiGraph()
        nodes = [f"n{i}" for i in range(40)]
        rng.shuffle(nodes)
        order.add_nodes_from(nodes)
        order.add_edges_from((a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:] if rng.random() < 0.1)
        rank = {node: rng.randrange(5) for node in nodes}

        def key(node: str, rank: dict[str, int] = rank) -> tuple[int, str]:
            return rank[node], node

        within = {node: list(order.pred[node]) for node in order}
        assert ordered(within, key=key) == list(nx.lexicographical_topological_sort(order, key=key))
    with pytest.raises(nx.NetworkXUnfeasible):
        ordered({"a": ["b"], "b": ["a"]})
