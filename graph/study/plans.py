"""Study plans over one graph: the path to a target and the connection between two concepts. Pure functions of
a `StudyIndex`; both stores give the same graph, so the same answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from graph.study.answers import Connection, Hop, StudyPath, StudyStep
from graph.study.index import StudyIndex, why
from graph.study.plan_order import ancestor_sets, ordered
from graph.study.relevance import FLOOR, MAX_HOPS, Reached, Relevance, relevance
from graph.study.wording import statement

CORE_STEPS = 10  # a plan's core: what the target needs most, in study order
# The core: the target's own prerequisites (not a detail of it such as 'rank PART_OF LoRA'), and a prerequisite
# of a prerequisite only through strong links.
FAR_CORE_MIN = 0.45
FILLED_CORE = 5  # a core with fewer steps takes prerequisites further back, down to FILL_MIN
FILL_MIN = 0.1
BACKGROUND_STEPS = 15


def study_path(index: StudyIndex, target: str, known: Iterable[str] = (), max_depth: int | None = None,
               limit: int | None = None, everything: bool = False) -> StudyPath:
    """The prerequisites `target` needs most, not already known, foundations first, ending with the target.

    Prerequisites are ranked by relevance (`graph.study.relevance`): the strongest chain of prerequisite
    relations back from the target, weighted by relation type, decaying per hop and damped through hubs. The
    core holds up to `limit` (default 10) with relevance >= 0.2, in study order; the next ones are background,
    ranked; `everything` lists every prerequisite reachable at all as background. Each step carries the chain of
    relations that ties it to the target.
    """
    target_id = index.resolve(target)
    known_ids = index.known_closure(index.resolve_all(known))
    hops = max_depth if max_depth is not None else (None if everything else MAX_HOPS)
    found = relevance(index.order.graph, target_id, known_ids, max_hops=hops if hops is not None else 10 ** 6,
                      floor=0.0 if everything else FLOOR)
    ranked = found.ranked()
    size = CORE_STEPS if limit is None else max(limit, 0)
    core = [r for r in ranked if not r.detail and (r.hops == 1 or r.relevance >= FAR_CORE_MIN)][:size]
    if len(core) < min(FILLED_CORE, size):  # a thin plan takes the strongest prerequisites further back
        core += [r for r in ranked if r not in core and not r.detail and r.relevance >= FILL_MIN][
            :min(FILLED_CORE, size) - len(core)]
    chosen = {r.concept for r in core}
    rest = [r for r in ranked if r.concept not in chosen]
    background = rest if everything else rest[:BACKGROUND_STEPS]
    steps = [_step(index, number, found.reached[concept_id]) if concept_id != target_id else
             _target_step(index, number, target_id)
             for number, concept_id in enumerate(_study_order(index, found, chosen | {target_id}), start=1)]
    skipped = sorted(known_ids & nx.ancestors(index.order.graph, target_id)) if known_ids else []
    return StudyPath(target=target_id, target_name=index.name(target_id), steps=steps,
                     background=[_step(index, 0, r) for r in background],
                     skipped_known=[index.name(cid) for cid in skipped], truncated=len(rest) - len(background),
                     complete=max_depth is None and len(rest) == len(background))


def _study_order(index: StudyIndex, found: Relevance, members: set[str]) -> list[str]:
    """The chosen steps in study order: every prerequisite relation walked between two of them (directly or
    through concepts left out) puts the earlier first; ready steps go fewest-prerequisites first."""
    walked: dict[str, set[str]] = {}
    for before, after in found.edges:
        walked.setdefault(after, set()).add(before)
        walked.setdefault(before, set())
    ancestors = ancestor_sets({node: sorted(before) for node, before in walked.items()})
    within = {cid: [b for b in ancestors.get(cid, ()) if b in members and b != cid] for cid in members}
    return _foundations_first(index, within)


def _foundations_first(index: StudyIndex, within: dict[str, list[str]]) -> list[str]:
    """The plan's steps (`within`: each one's prerequisites in the plan) in study order: fewest prerequisites
    first among those ready, then the index's tie-break."""
    prerequisites = {cid: len(before) for cid, before in ancestor_sets(within).items()}
    return ordered(within, key=lambda concept_id: (prerequisites[concept_id], index.plan_tie_break(concept_id)))


def _step(index: StudyIndex, number: int, reached: Reached) -> StudyStep:
    facts = index.facts(reached.concept)
    chain = [why(relation) for relation in reached.chain]
    return StudyStep(
        order=number, concept=reached.concept, name=index.name(reached.concept), depth=reached.hops,
        needed_for=reached.next_step, why=chain[0], chain=chain, relevance=reached.relevance,
        because="; ".join(statement(w, index.name) for w in chain),
        read_at=facts.read_at, questions=facts.questions, difficulty=facts.difficulty,
        effort_minutes=facts.effort_minutes,
    )


def _target_step(index: StudyIndex, number: int, target_id: str) -> StudyStep:
    facts = index.facts(target_id)
    return StudyStep(order=number, concept=target_id, name=index.name(target_id), depth=0, relevance=1.0,
                     read_at=facts.read_at, questions=facts.questions, difficulty=facts.difficulty,
                     effort_minutes=facts.effort_minutes)


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
