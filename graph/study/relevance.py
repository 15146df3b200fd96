"""How much each prerequisite matters for one target: the strongest chain of prerequisite edges back from the
target, each edge weighted by what its relation says about studying first, decaying with every hop, and damped
when the chain passes through a hub.

Why not every ancestor: on real notes a concept's ancestors run through hubs (LLM, Transformer, training) to
most of the graph, so a plan of all of them is padded with steps that have nothing to do with the target. A
stated REQUIRES or EXTENDS says "study this first" strongly; `X USES optimizer` from a training tip weakly; and
a chain of weak links through a concept that everything relates to says almost nothing.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from graph.models import Relation, RelationType

# What "study first" means per relation type (the direction is graph.precedence's): how strongly the earlier
# side is needed for the later one.
TYPE_WEIGHT: dict[RelationType, float] = {
    RelationType.REQUIRES: 1.0,
    RelationType.EXTENDS: 0.9,
    RelationType.VARIANT_OF: 0.85,
    RelationType.PART_OF: 0.8,  # the parts of a whole, before the whole
    RelationType.REPLACES: 0.75,  # what a method replaces explains why it exists
    RelationType.IS_A: 0.7,  # the category before the member
    RelationType.USES: 0.6,
    RelationType.SOLVES: 0.6,  # the problem a method solves explains what it is for
    RelationType.COMPARED_WITH: 0.6,  # the reference side, when the text gives one (its edge strength is halved)
}
HOP_DECAY = 0.8  # each hop further from the target needs stronger links to stay relevant
HUB_DEGREE = 6  # prerequisite edges a concept may have before passing through it costs relevance
DETAIL_DAMPING = 0.4  # a part the notes relate to nothing but its whole is a detail of it, not a prerequisite
MAX_HOPS = 4
FLOOR = 0.05  # below this a concept is not worth listing, even as background


@dataclass(frozen=True)
class Reached:
    """A prerequisite of the target, how relevant it is, and the chain that makes it one (edges in the order
    walked: from this concept toward the target)."""

    concept: str
    relevance: float
    hops: int
    chain: tuple[Relation, ...]
    next_step: str  # the concept after it on the chain (the target for a direct prerequisite)
    detail: bool = False  # a part the notes relate to nothing but the concept after it


@dataclass
class Relevance:
    """Every prerequisite reached from a target, and the edges walked (for ordering the steps among themselves)."""

    target: str
    reached: dict[str, Reached] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)  # (before, after) among target and reached

    def ranked(self) -> list[Reached]:
        return sorted(self.reached.values(), key=lambda r: (-r.relevance, r.hops, r.concept))


def hub_damping(degree: int) -> float:
    """1 up to HUB_DEGREE edges, then falling with the square root: a concept with 24 edges passes on half.

    >>> hub_damping(3), hub_damping(24)
    (1.0, 0.5)
    """
    return 1.0 if degree <= HUB_DEGREE else math.sqrt(HUB_DEGREE / degree)


def relevance(order, target: str, known: set[str], max_hops: int = MAX_HOPS,  # type: ignore[no-untyped-def]
              floor: float = FLOOR) -> Relevance:
    """Best-first search back from the target over `order` (a DiGraph whose edges run from the concept studied
    first to the one that needs it, with `relation` and `strength` data). Known concepts are not listed and not
    walked through: what they need is taken as known too."""
    predecessors, successors = order.pred, order.succ
    result = Relevance(target)
    best: dict[str, float] = {target: 1.0}
    heap: list[tuple[float, int, str]] = [(-1.0, 0, target)]
    chains: dict[str, tuple[Relation, ...]] = {target: ()}
    hops_of: dict[str, int] = {target: 0}
    done: set[str] = set()
    while heap:
        negative, hops, concept = heapq.heappop(heap)
        if concept in done:
            continue
        done.add(concept)
        score = -negative
        if hops >= max_hops or (concept != target and concept in known):
            continue
        if concept != target and chains[concept][0].type is RelationType.SOLVES:
            continue  # a problem the target solves matters; what the problem itself builds on does not
        passing = 1.0 if concept == target else HOP_DECAY * hub_damping(
            len(predecessors[concept]) + len(successors[concept]))
        for before, data in predecessors[concept].items():
            relation: Relation = data["relation"]
            if relation.type is RelationType.SOLVES and concept != target:
                continue  # the problems a prerequisite solves are its business, not the target's
            candidate = score * passing * TYPE_WEIGHT.get(relation.type, 0.5) * data["strength"]
            if _is_detail(order, relation, before):
                candidate *= DETAIL_DAMPING  # 'rank PART_OF LoRA' and nothing else: a detail learnt with it
            if candidate < floor or candidate <= best.get(before, 0.0):
                continue
            best[before] = candidate
            chains[before] = (relation, *chains[concept])
            hops_of[before] = hops + 1
            heapq.heappush(heap, (-candidate, hops + 1, before))
            result.edges.append((before, concept))
    for concept, score in best.items():
        if concept == target or concept in known:
            continue
        chain = chains[concept]
        after = chain[0].target if chain[0].source == concept else chain[0].source
        detail = _is_detail(order, chain[0], concept)
        result.reached[concept] = Reached(concept, round(score, 4), hops_of[concept], chain, after, detail)
    return result


def _is_detail(order, relation: Relation, part: str) -> bool:  # type: ignore[no-untyped-def]
    """'rank PART_OF LoRA' and nothing else: a part the notes relate only to its whole is learnt with it."""
    return relation.type is RelationType.PART_OF and len(order.pred[part]) + len(order.succ[part]) <= 1


CORE_EDGE = 0.3  # a direct prerequisite edge this strong (type weight x strength) is one a learner must cover


def core_needs(order, concept: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The direct prerequisites a concept really needs: strong enough edges, details of it left out."""
    predecessors = order.pred
    needs = []
    for before, data in predecessors[concept].items():
        relation: Relation = data["relation"]
        if TYPE_WEIGHT.get(relation.type, 0.5) * data["strength"] < CORE_EDGE:
            continue
        if _is_detail(order, relation, before):
            continue
        needs.append(before)
    return needs
