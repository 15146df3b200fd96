"""Study answers over one graph: the path to a target, the connection between two concepts, what to learn next,
and related topics. Pure functions of a `StudyIndex`; both stores give the same graph, so the same answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from graph.models import RelationType
from graph.plan_order import ancestor_sets, followers, ordered
from graph.study_index import StudyIndex, why
from graph.study_models import Connection, Hop, NextTopic, RelatedTopic, StudyPath, StudyStep


def study_path(index: StudyIndex, target: str, known: Iterable[str] = (), max_depth: int | None = None,
               limit: int | None = None) -> StudyPath:
    """Every prerequisite of `target` not already known, foundations first, ending with the target.

    Ties in the topological order go to concepts with fewer prerequisites, then lower difficulty, then higher
    centrality, then name, so the plan starts from the ground up.
    """
    target_id = index.resolve(target)
    known_ids = index.known_closure(index.resolve_all(known))
    depth = _prerequisite_depths(index, target_id, known_ids, max_depth, limit)
    needed = {cid for cid in depth if cid != target_id}
    skipped = sorted(needed & known_ids)
    candidates = sorted(needed - known_ids, key=lambda cid: (depth[cid], cid))
    kept = candidates if limit is None else candidates[:max(limit, 0)]
    in_plan = set(kept) | {target_id}
    predecessors = index.order.graph.pred
    within = {cid: [before for before in predecessors[cid] if before in in_plan] for cid in in_plan}
    after_within = followers(within)
    steps = [_step(index, number, concept_id, depth[concept_id], after_within[concept_id])
             for number, concept_id in enumerate(_foundations_first(index, within), start=1)]
    walked_all = limit is None or len(candidates) <= limit
    return StudyPath(target=target_id, target_name=index.name(target_id), steps=steps,
                     skipped_known=[index.name(cid) for cid in skipped], truncated=len(candidates) - len(kept),
                     complete=walked_all and max_depth is None)


def _prerequisite_depths(index: StudyIndex, target_id: str, known_ids: set[str], max_depth: int | None,
                         limit: int | None) -> dict[str, int]:
    """Hops from the target back to each prerequisite, breadth first. With a limit the walk stops after the
    level that fills it: the nearest prerequisites are all a limited plan needs."""
    predecessors = index.order.graph.pred
    depth = {target_id: 0}
    frontier, unknown, level = [target_id], 0, 0
    while frontier and (max_depth is None or level < max_depth) and (limit is None or unknown < limit):
        level += 1
        found = []
        for concept_id in frontier:
            for before in predecessors[concept_id]:
                if before not in depth:
                    depth[before] = level
                    found.append(before)
                    unknown += before not in known_ids
        frontier = found
    return depth


def _foundations_first(index: StudyIndex, within: dict[str, list[str]]) -> list[str]:
    """The plan's steps (`within`: each one's prerequisites in the plan) in study order: fewest prerequisites
    first among those ready, then the index's tie-break."""
    prerequisites = {cid: len(before) for cid, before in ancestor_sets(within).items()}
    return ordered(within, key=lambda concept_id: (prerequisites[concept_id], index.plan_tie_break(concept_id)))


def _step(index: StudyIndex, number: int, concept_id: str, depth: int, needed_by: list[str]) -> StudyStep:
    strengths = index.strengths_after(concept_id)
    strongest = max(((strengths[after], after) for after in needed_by), default=(None, None))[1]
    facts = index.facts(concept_id)
    return StudyStep(
        order=number, concept=concept_id, name=index.name(concept_id), depth=depth, needed_for=strongest,
        why=index.prerequisite_why(concept_id, strongest) if strongest else None, read_at=facts.read_at,
        questions=facts.questions, difficulty=facts.difficulty, effort_minutes=facts.effort_minutes,
    )


def path_between(index: StudyIndex, source: str, target: str) -> Connection:
    """The strongest chain of prerequisite steps from `source` to `target`; failing that, the reverse chain;
    failing that, the shortest connection through typed relations, then through any relation."""
    a, b = index.resolve(source), index.resolve(target)
    order = index.order.graph
    for kind, start, end in (("prerequisite chain", a, b), ("reverse prerequisite chain", b, a)):
        if start != end and nx.has_path(order, start, end):
            nodes = nx.shortest_path(order, start, end, weight="cost")
            hops = [Hop(source=u, target=v, why=why(index.order.relation(u, v))) for u, v in itertools.pairwise(nodes)]
            return Connection(source=a, target=b, kind=kind, concepts=nodes, hops=hops)
    for typed_only in (True, False):
        view = index.typed_view if typed_only else index.all_relations
        if a in view and b in view and nx.has_path(view, a, b):
            nodes = nx.shortest_path(view, a, b)
            hops = [Hop(source=u, target=v, why=why(_strongest(view.edges[u, v]["relations"], typed_only)))
                    for u, v in itertools.pairwise(nodes)]
            return Connection(source=a, target=b, kind="relation chain", concepts=nodes, hops=hops)
    return Connection(source=a, target=b, kind="none", concepts=[], hops=[])


def _strongest(relations: list, typed_only: bool):  # type: ignore[no-untyped-def, type-arg]
    usable = [r for r in relations if r.type.typed] if typed_only else relations
    return max(usable, key=lambda r: (r.type.typed, r.confidence, len(r.evidence)))


def next_topics(index: StudyIndex, known: Iterable[str] = (), limit: int = 10) -> list[NextTopic]:
    """The learnable frontier: unknown concepts whose prerequisites are all known, ranked by what they unlock."""
    known_ids = index.known_closure(index.resolve_all(known))
    order = index.order.graph
    ranked = []
    for concept_id in order.nodes:
        if concept_id in known_ids:
            continue
        needs = set(order.predecessors(concept_id))
        if not needs <= known_ids or (not needs and not order.out_degree(concept_id)):
            continue  # not yet learnable, or a concept nothing builds on
        unlocked = nx.descendants(order, concept_id) - known_ids
        if not unlocked and not needs:
            continue
        examples = sorted(unlocked, key=lambda cid: (-index.centrality.get(cid, 0.0), cid))[:3]
        ranked.append(NextTopic(concept=concept_id, name=index.name(concept_id), unlocks=len(unlocked),
                                unlocks_examples=[index.name(cid) for cid in examples],
                                needs=[index.name(cid) for cid in sorted(needs)]))
    ranked.sort(key=lambda t: (-t.unlocks, -index.centrality.get(t.concept, 0.0), t.concept))
    return ranked[:limit]


_PARENT_TYPES = (RelationType.IS_A, RelationType.VARIANT_OF, RelationType.PART_OF)


def related_topics(index: StudyIndex, concept: str, limit: int = 15) -> list[RelatedTopic]:
    """Comparisons, variants, alternatives and siblings (children of the same parent), strongest first."""
    concept_id = index.resolve(concept)
    found: dict[str, RelatedTopic] = {}

    def offer(other: str, kind: str, score: float, explanation: str) -> None:
        if other != concept_id and (other not in found or found[other].score < score):
            found[other] = RelatedTopic(concept=other, name=index.name(other), kind=kind, score=round(score, 3),
                                        explanation=explanation)

    me = index.name(concept_id)
    parents = []
    for relation in index.graph.relations:
        if concept_id not in (relation.source, relation.target) or not relation.type.typed:
            continue
        other = relation.target if relation.source == concept_id else relation.source
        name = index.name(other)
        if relation.type is RelationType.COMPARED_WITH:
            offer(other, "comparison", relation.confidence, f"the notes compare {me} with {name}")
        elif relation.type is RelationType.VARIANT_OF:
            text = f"{me} is a variant of {name}" if other == relation.target else f"{name} is a variant of {me}"
            offer(other, "variant", 0.9 * relation.confidence, text)
        elif relation.type is RelationType.REPLACES:
            text = f"{me} replaces {name}" if other == relation.target else f"{name} replaces {me}"
            offer(other, "alternative", 0.85 * relation.confidence, text)
        if relation.type in _PARENT_TYPES and relation.source == concept_id:
            parents.append(relation)
    for parent in parents:
        for relation in index.graph.relations:
            if relation.type in _PARENT_TYPES and relation.target == parent.target and relation.source != concept_id:
                offer(relation.source, "sibling", 0.6 * parent.confidence * relation.confidence,
                      f"{index.name(relation.source)} and {me} both come under {index.name(parent.target)}")
    return sorted(found.values(), key=lambda t: (-t.score, t.concept))[:limit]
