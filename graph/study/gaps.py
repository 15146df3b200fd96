"""Gaps in the notes around a topic or between two: bridges, unexplained concepts, unanswered questions,
links the notes imply but never state, and what a learner still lacks."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from graph.models import RelationType
from graph.normalize import concept_key
from graph.study.answers import GapItem, GapReport
from graph.study.index import StudyIndex
from graph.study.plans import study_path

MISSING_LINKS = 10
EVIDENCE_SENTENCES = 2


def gaps(index: StudyIndex, a: str, b: str | None = None, known: Iterable[str] = ()) -> GapReport:
    """What the notes leave open in the area of `a` (and `b`): every item says in one line why it is a gap."""
    first = index.resolve(a)
    second = index.resolve(b) if b else None
    typed = index.typed_view
    chapter = _chapter_questions(index, first)
    area = {first} | _neighbours(typed, first) | _concepts_of(index, chapter)
    items: list[GapItem] = []
    if second:
        chapter |= _chapter_questions(index, second)
        area |= {second} | _neighbours(typed, second) | _concepts_of(index, chapter)
        bridges = _bridges(typed, first, second)
        area |= bridges
        for concept_id in sorted(bridges, key=index.name):
            items.append(GapItem(kind="bridging", concepts=[concept_id], explanation=(
                f"{index.name(concept_id)} lies on the shortest connection between {index.name(first)} and "
                f"{index.name(second)}")))
        if not bridges and not typed.has_edge(first, second):
            items.append(GapItem(kind="bridging", concepts=[first, second], explanation=(
                f"the notes never connect {index.name(first)} and {index.name(second)} through typed relations")))
    items += _unexplained(index, area)
    items += _unanswered(index, {t for t in (first, second) if t}, chapter)
    items += _missing_links(index, area)
    known_ids = index.resolve_all(known)
    if known_ids:
        for target in [t for t in (first, second) if t]:
            for step in study_path(index, target, known_ids).steps[:-1]:
                items.append(GapItem(kind="missing_prerequisite", concepts=[step.concept], explanation=(
                    f"{step.name} is needed for {index.name(target)} and is not among what you know")))
    return GapReport(a=first, b=second, area=sorted(area), items=items)


def _neighbours(typed: nx.Graph, concept_id: str) -> set[str]:
    return set(typed.neighbors(concept_id)) if concept_id in typed else set()


def _chapter_questions(index: StudyIndex, concept_id: str) -> set[str]:
    """Ids of the questions in the sections whose heading names the topic (its chapter of the notes)."""
    concept = index.concepts[concept_id]
    labels = {concept_key(label) for label in (concept.name, *concept.aliases)}
    labels = {label for label in labels if len(label) >= 2}
    asked: set[str] = set()
    for document in index.graph.documents:
        chapters = [(s.line_start, s.line_end) for s in document.sections
                    if any(label in concept_key(s.heading) for label in labels)]
        if chapters:
            asked |= {q.id for q in document.questions if any(start <= q.line <= end for start, end in chapters)}
    return asked


def _concepts_of(index: StudyIndex, question_ids: set[str]) -> set[str]:
    return {cid for qid in question_ids for cid in index.question_concepts.get(qid, set())}


def _bridges(typed: nx.Graph, first: str, second: str) -> set[str]:
    """Every concept on some shortest connection: its distances from both ends add up to the shortest."""
    try:
        length = nx.shortest_path_length(typed, first, second)  # bidirectional: stops where the searches meet
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return set()
    from_first = nx.single_source_shortest_path_length(typed, first, cutoff=length)
    from_second = nx.single_source_shortest_path_length(typed, second, cutoff=length)
    return {node for node, hops in from_first.items()
            if node not in (first, second) and hops + from_second.get(node, length + 1) == length}


def _unexplained(index: StudyIndex, area: set[str]) -> list[GapItem]:
    """Named in the area but never defined, never the subject of a stated relation outside questions and
    headings, and outside them met at most in passing."""
    asked_lines, heading_lines = index.question_and_heading_lines
    ask_or_name = asked_lines | heading_lines
    items = []
    for concept_id in sorted(area, key=index.name):
        concept = index.concepts[concept_id]
        if concept.definition or any(
                (e.document, e.line) not in ask_or_name for r in index.graph.relations
                if r.source == concept_id and r.type.typed for e in r.evidence):
            continue
        body = {(loc.document, loc.line) for loc in concept.locations} - asked_lines - heading_lines
        asked = len(index.questions.get(concept_id, []))
        if len(body) <= 1 and (asked or concept.locations):
            items.append(GapItem(kind="unexplained", concepts=[concept_id], explanation=(
                f"{concept.name} is asked about in {asked} question(s) and named on {len(body)} line(s) of "
                f"explanation, but never defined")))
    return items


def _unanswered(index: StudyIndex, topics: set[str], chapter: set[str]) -> list[GapItem]:
    """Questions the notes leave open about the topics themselves or asked in their chapters."""
    items = []
    seen: set[str] = set()
    for document in index.graph.documents:
        for question in document.questions:
            about = index.question_concepts.get(question.id, set())
            if question.answered or question.id in seen or not (about & topics or question.id in chapter):
                continue
            seen.add(question.id)
            stars = f", difficulty {question.difficulty}" if question.difficulty else ""
            asked = " ".join(question.text.split())
            items.append(GapItem(kind="unanswered", concepts=sorted(about), evidence=[question.text],
                                 explanation=f"unanswered in {document.id}:{question.line}{stars}: {asked}"))
    return items


def _missing_links(index: StudyIndex, area: set[str]) -> list[GapItem]:
    """Pairs the notes mention together or that share neighbours (Adamic-Adar), yet never relate by type."""
    view = index.all_relations
    pairs = [(u, v) for u, v in itertools.combinations(sorted(area), 2) if not index.typed_between(u, v)]
    scored = []
    for u, v, score in nx.adamic_adar_index(view, pairs):
        together = [r for r in (view.get_edge_data(u, v) or {}).get("relations", [])
                    if r.type is RelationType.RELATED_TO]
        if score <= 0 and not together:
            continue
        sentences = [e.text for r in together for e in r.evidence][:EVIDENCE_SENTENCES]
        scored.append((score + sum(r.weight for r in together), u, v, sentences))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    items = []
    for score, u, v, sentences in scored[:MISSING_LINKS]:
        how = f"named together in {len(sentences)}+ sentence(s)" if sentences else "share neighbours"
        items.append(GapItem(kind="missing_link", concepts=[u, v], evidence=sentences, explanation=(
            f"{index.name(u)} and {index.name(v)} {how} (score {score:.2f}) but no typed relation is stated")))
    return items
