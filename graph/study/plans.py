"""Study plans over one graph: the path to a target and the connection between two concepts. Pure functions of
a `StudyIndex`; both stores give the same graph, so the same answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from graph.study.answers import Connection, Hop, StudyPath, StudyStep
from graph.study.index import StudyIndex, why
from graph.study.plan_order import ancestor_sets, followers, ordered


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
