"""Candidates -> typed relations: the relation model rates every candidate of a document, each pair keeps its
most probable reading, and a reading at or above the model's threshold becomes a relation whose confidence is
that probability and whose evidence is the candidate's sentence or structure, its rule naming which."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.models import Evidence, Relation, RelationType
from ingest.candidates import Candidate
from ingest.relation_features import NoteFacts, candidate_features
from ingest.relation_model import NONE, RelationModel

MAX_EVIDENCE_CHARS = 300
RATED_AT_ONCE = 2_000  # candidates whose feature rows are held at once (a one-line note can put 10^5 forward)
# Where the side a sentence does not name comes from, as the evidence's rule says it.
CONTEXT = {"sentence": "sentence", "adjacent": "two sentences", "topic": "sentence+section topic",
           "pronoun": "sentence+previous sentence", "item": "list item+its lead", "lead-in": "list+lead-in line",
           "table": "table", "subsection": "section+parent section"}
# Which side to learn first, by type, as the annotation guide orders them: the category before its kinds, what
# is used before its user, the whole after its parts; none for a problem solved or a comparison.
_LEARN_FIRST = {RelationType.IS_A: "target", RelationType.VARIANT_OF: "target", RelationType.EXTENDS: "target",
                RelationType.REPLACES: "target", RelationType.USES: "target", RelationType.REQUIRES: "target",
                RelationType.PART_OF: "source"}


@dataclass(frozen=True, slots=True)
class Rated:
    candidate: Candidate
    label: str
    probability: float


def rate(candidates: Sequence[Candidate], facts: NoteFacts, model: RelationModel) -> list[Rated]:
    """Each candidate's most probable reading other than NONE."""
    none = model.classes.index(NONE)
    rated = []
    for at in range(0, len(candidates), RATED_AT_ONCE):
        batch = candidates[at:at + RATED_AT_ONCE]
        probabilities = model.probabilities([candidate_features(c, facts, model.use_rules) for c in batch])
        for candidate, row in zip(batch, probabilities, strict=True):
            row = row.copy()
            row[none] = -1.0
            top = int(row.argmax())
            rated.append(Rated(candidate, model.classes[top], float(row[top])))
    return rated


def relations_of(rated: Sequence[Rated], document: str, threshold: float) -> list[Relation]:
    """One relation per pair, from its best reading, when that reaches the threshold."""
    best: dict[frozenset[str], Rated] = {}
    for item in rated:
        pair = item.candidate.pair
        if pair not in best or item.probability > best[pair].probability:
            best[pair] = item
    relations = []
    for item in sorted(best.values(), key=lambda r: (-r.probability, r.candidate.line)):
        if item.probability < threshold:
            continue
        relations.append(_relation(item, document))
    return relations


def _relation(item: Rated, document: str) -> Relation:
    candidate = item.candidate
    relation_type = RelationType(item.label.rstrip("<>"))
    source, target = candidate.first, candidate.second
    if item.label.endswith("<"):
        source, target = target, source
    if relation_type.symmetric and source > target:
        source, target = target, source
    first_side = _LEARN_FIRST.get(relation_type)
    first = source if first_side == "source" else target if first_side == "target" else None
    evidence = Evidence(document=document, line=candidate.line, section=candidate.section,
                        text=_clipped(candidate), rule=f"model:{CONTEXT.get(candidate.kind, candidate.kind)}")
    return Relation(source=source, target=target, type=relation_type, confidence=round(item.probability, 3),
                    weight=1, first=first, evidence=[evidence])


def _clipped(candidate: Candidate) -> str:
    """The candidate's text, or for a long one the stretch around its sides."""
    text = _tidy(candidate.text) if len(candidate.text) <= MAX_EVIDENCE_CHARS else candidate.text
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    spans = [s for s in (candidate.first_span, candidate.second_span) if s is not None]
    start = max(0, min((s[0] for s in spans), default=0) - 60)
    end = min(len(text), start + MAX_EVIDENCE_CHARS)
    return ("…" if start else "") + _tidy(text[start:end]) + ("…" if end < len(text) else "")


def _tidy(text: str) -> str:
    r"""Runs of spaces as one, line breaks kept: a lead-in line stays the first line of its evidence.

    >>> _tidy("  有以下几类：  \n- **A**   做法 ")
    '有以下几类：\n- **A** 做法'
    """
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
