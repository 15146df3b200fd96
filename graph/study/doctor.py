"""Health of a graph: cycles broken to order study, orphans, concepts without evidence, likely duplicates."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from graph.normalize import concept_key
from graph.study.answers import DoctorReport
from graph.study.index import StudyIndex

NEAR_DUPLICATE_SCORE = 92
_JOINERS = re.compile(r"[\s\-_./·]+")


def doctor(index: StudyIndex) -> DoctorReport:
    """What a person should look at before trusting study paths from this graph."""
    order = index.order
    dropped = [f"{index.name(d.before)} -> {index.name(d.after)} ({d.relation.type.value}, strength "
               f"{d.strength:.2f}) broke the cycle {' -> '.join(index.name(c) for c in (*d.cycle, d.cycle[0]))}"
               for d in order.dropped]
    related = index.all_relations
    typed_degree = {cid: sum(1 for _, _, found in related.edges(cid, data="relations")
                             if any(r.type.typed for r in found)) for cid in index.concepts}
    orphans = sorted(index.name(cid) for cid, degree in typed_degree.items() if degree == 0)
    without = sorted(c.name for c in index.graph.concepts if not c.locations)
    return DoctorReport(dropped_cycle_edges=dropped, orphans=orphans, without_evidence=without,
                        near_duplicates=near_duplicates(index))


def near_duplicates(index: StudyIndex) -> list[tuple[str, str]]:
    """Concept pairs whose labels differ only by joiners ('KV Cache' / 'KV-cache') or are nearly equal."""
    labels: dict[str, str] = {}
    pairs: set[tuple[str, str]] = set()
    for concept in index.graph.concepts:
        for label in (concept.name, *concept.aliases):
            key = _JOINERS.sub("", concept_key(label))
            if len(key) < 3:
                continue
            other = labels.setdefault(key, concept.id)
            if other != concept.id:
                pairs.add(tuple(sorted((other, concept.id))))  # type: ignore[arg-type]
    keys = list(labels)
    for key, concept_id in labels.items():
        if len(key) < 6:
            continue  # short acronyms (MHA/MQA) differ by one letter and are different things
        for match, _score, _ in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE,
                                               limit=5):
            other = labels[match]
            if other != concept_id:
                pairs.add(tuple(sorted((concept_id, other))))  # type: ignore[arg-type]
    return sorted((index.name(a), index.name(b)) for a, b in pairs)
