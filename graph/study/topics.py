"""What to learn next and what is related: answers over one graph that are not a plan. Pure functions of a
`StudyIndex`, like the plans."""

from __future__ import annotations

from collections.abc import Iterable

from graph.models import RelationType
from graph.study.answers import NextTopic, RelatedTopic
from graph.study.index import StudyIndex
from graph.study.relevance import core_needs, relevance


def next_topics(index: StudyIndex, known: Iterable[str] = (), limit: int = 10,
                goal: str | None = None) -> list[NextTopic]:
    """The learnable frontier: unknown concepts whose core prerequisites (strong direct ones, not details) are all
    known. With a goal: the goal's own prerequisites (and the goal), most relevant to it first. Without: ranked by
    how many concepts they are a core prerequisite of, so 'X unlocks Y' only where Y really needs X."""
    known_ids = index.known_closure(index.resolve_all(known))
    order = index.order.graph
    if goal is not None:
        goal_id = index.resolve(goal)
        reached = relevance(order, goal_id, known_ids, floor=0.0).reached
        scores = {cid: r.relevance for cid, r in reached.items()}
        if goal_id not in known_ids:
            scores[goal_id] = 1.0
        candidates: Iterable[str] = scores
    else:
        scores, candidates = {}, order.nodes
    ranked = []
    for concept_id in candidates:
        if concept_id in known_ids:
            continue
        needs = core_needs(order, concept_id)
        if not set(needs) <= known_ids:
            continue
        unlocked = [after for after in order.succ[concept_id]
                    if after not in known_ids and concept_id in core_needs(order, after)]
        if goal is None and not unlocked:
            continue  # a concept nothing needs is no step toward anything
        examples = sorted(unlocked, key=lambda cid: (-index.centrality.get(cid, 0.0), cid))[:3]
        ranked.append(NextTopic(concept=concept_id, name=index.name(concept_id), unlocks=len(unlocked),
                                unlocks_examples=[index.name(cid) for cid in examples],
                                needs=[index.name(cid) for cid in sorted(needs)],
                                relevance=scores.get(concept_id)))
    ranked.sort(key=lambda t: (-(t.relevance or 0.0), -t.unlocks, -index.centrality.get(t.concept, 0.0), t.concept))
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
