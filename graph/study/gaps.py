"""Gaps in the notes around a topic or between two: bridges, unexplained concepts, unanswered questions,
links the notes imply but never state, and what a learner still lacks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

import networkx as nx

from graph.models import Concept, RelationType, Section
from graph.normalize import concept_key
from graph.study.answers import GapItem, GapReport
from graph.study.index import StudyIndex
from graph.study.plans import study_path

GAPS_PER_KIND = 10  # items listed per kind unless everything is asked for; the report counts the rest
EVIDENCE_SENTENCES = 2
STATED_WITH_CUE = "co-occurrence+cue"  # ingest marks co-occurrence in a sentence that holds a relation cue


def gaps(index: StudyIndex, a: str, b: str | None = None, known: Iterable[str] = (), limit: int = GAPS_PER_KIND,
         everything: bool = False) -> GapReport:
    """What the notes leave open in the area of `a` (and `b`): the topic's own sections and its close
    neighbours. Every item is checked against the text and says in one line why it is a gap; each kind is capped
    at `limit` (most telling first) unless `everything`, and the report counts what it left out."""
    first = index.resolve(a)
    second = index.resolve(b) if b else None
    typed = index.typed_view
    topics = [t for t in (first, second) if t]
    chapter: set[str] = set()
    area: set[str] = set()
    for topic in topics:
        questions, in_sections = _chapter(index, topic)
        chapter |= questions
        area |= {topic} | _neighbours(typed, topic) | in_sections | _concepts_of(index, questions)
    found: dict[str, list[GapItem]] = {}
    if second:
        bridges = _bridges(typed, first, second)
        area |= bridges
        found["bridging"] = [GapItem(kind="bridging", concepts=[concept_id], explanation=(
            f"{index.name(concept_id)} lies on the shortest connection between {index.name(first)} and "
            f"{index.name(second)}")) for concept_id in sorted(bridges, key=index.name)]
        if not bridges and not typed.has_edge(first, second):
            found["bridging"].append(GapItem(kind="bridging", concepts=[first, second], explanation=(
                f"the notes never connect {index.name(first)} and {index.name(second)} through typed relations")))
    found["unexplained"] = _unexplained(index, area)
    found["unanswered"] = _unanswered(index, set(topics), chapter)
    found["missing_link"] = _missing_links(index, area)
    known_ids = index.resolve_all(known)
    if known_ids:
        found["missing_prerequisite"] = [
            GapItem(kind="missing_prerequisite", concepts=[step.concept], explanation=(
                f"{step.name} is needed for {index.name(target)} and is not among what you know"))
            for target in topics for step in study_path(index, target, known_ids).steps[:-1]]
    items: list[GapItem] = []
    more: dict[str, int] = {}
    for kind, listed in found.items():
        kept = listed if everything else listed[:max(limit, 0)]
        items += kept
        if len(listed) > len(kept):
            more[kind] = len(listed) - len(kept)
    return GapReport(a=first, b=second, area=sorted(area), items=items, more=more)


def _neighbours(typed: nx.Graph, concept_id: str) -> set[str]:
    return set(typed.neighbors(concept_id)) if concept_id in typed else set()


def _chapter(index: StudyIndex, concept_id: str) -> tuple[set[str], set[str]]:
    """The topic's own sections (headings that name it, with what they span): their questions and the concepts
    named in them."""
    concept = index.concepts[concept_id]
    labels = {concept_key(label) for label in (concept.name, *concept.aliases)}
    labels = {label for label in labels if len(label) >= 2}
    asked: set[str] = set()
    spans: dict[str, list[tuple[int, int]]] = {}
    for document in index.graph.documents:
        chapters = [(s.line_start, s.line_end) for s in document.sections
                    if any(label in concept_key(s.heading) for label in labels)]
        if chapters:
            spans[document.id] = chapters
            asked |= {q.id for q in document.questions if any(start <= q.line <= end for start, end in chapters)}
    if not spans:
        return asked, set()
    named = {c.id for c in index.graph.concepts if any(
        start <= loc.line <= end for loc in c.locations for start, end in spans.get(loc.document, ()))}
    return asked, named


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
    headings, and outside them met at most once: most asked about first."""
    asked_lines, heading_lines = index.question_and_heading_lines
    ask_or_name = asked_lines | heading_lines
    sections = {(d.id, s.line_start): s for d in index.graph.documents for s in d.sections}
    open_questions = {(d.id, q.line) for d in index.graph.documents for q in d.questions if not q.answered}
    keys = {other: concept_key(index.name(other)) for other in area}
    found = []
    for concept_id in area:
        concept = index.concepts[concept_id]
        if concept.definition or any(
                (e.document, e.line) not in ask_or_name for r in index.graph.relations
                if r.source == concept_id and r.type.typed for e in r.evidence):
            continue
        body = {(loc.document, loc.line) for loc in concept.locations} - asked_lines - heading_lines
        asked = len(index.questions.get(concept_id, []))
        if _has_own_section(concept, sections, open_questions) or _shown_by_examples(concept) or (
                _part_of_a_longer_name(concept_id, keys)):
            continue
        if len(body) <= 1 and (asked or concept.locations):
            found.append((-asked, -len(concept.locations), index.name(concept_id), GapItem(
                kind="unexplained", concepts=[concept_id], explanation=(
                    f"{concept.name} is asked about in {asked} question(s) and named on {len(body)} line(s) of "
                    f"explanation, but never defined"))))
    return [item for *_, item in sorted(found, key=lambda row: row[:3])]


def _part_of_a_longer_name(concept_id: str, keys: dict[str, str]) -> bool:
    """'Grouped-Query' where the area also holds 'Grouped-Query Attention': a clipped spelling of a concept the
    notes do explain, not a concept of its own (`keys`: the area's names, folded)."""
    name = keys[concept_id]
    return len(name) >= 4 and any(other != concept_id and len(key) > len(name) and name in key
                                  for other, key in keys.items())


def _has_own_section(concept: Concept, sections: dict[tuple[str, int], Section],
                     open_questions: set[tuple[str, int]]) -> bool:
    """A heading that names the concept, with text under it: the section explains it (a question heading only
    when the notes answer it)."""
    return any(place in sections and place not in open_questions and
               sections[place].line_end > sections[place].line_start + 1
               for place in ((loc.document, loc.line) for loc in concept.locations))


_EXAMPLES_AFTER = re.compile(r"^[^，,。;；]{0,6}?(?:[，,:：]\s*)?(?:如|例如|比如|包括|such as|e\.g\.|including)",
                             re.IGNORECASE)


def _shown_by_examples(concept: Concept) -> bool:
    """'采用剪枝技术，如结构化剪枝、量化感知剪枝等': a concept followed by its examples is explained by them."""
    example = concept.example
    if example is None:
        return False
    text = example.text.casefold()
    for label in (concept.name, *concept.aliases):
        at = text.find(label.casefold())
        if at >= 0 and _EXAMPLES_AFTER.match(text[at + len(label):]):
            return True
    return False


def _unanswered(index: StudyIndex, topics: set[str], chapter: set[str]) -> list[GapItem]:
    """Questions with no answer body, about the topics or asked in their chapters: hardest first."""
    found = []
    seen: set[str] = set()
    for document in index.graph.documents:
        for question in document.questions:
            about = index.question_concepts.get(question.id, set())
            if question.answered or question.id in seen or not (about & topics or question.id in chapter):
                continue
            seen.add(question.id)
            stars = f", difficulty {question.difficulty}" if question.difficulty else ""
            asked = " ".join(question.text.split())
            found.append((-(question.difficulty or 0), document.id, question.line, GapItem(
                kind="unanswered", concepts=sorted(about), evidence=[question.text],
                explanation=f"unanswered in {document.id}:{question.line}{stars}: {asked}")))
    return [item for *_, item in sorted(found, key=lambda row: row[:3])]


_LIST_GAP = re.compile(r"[\s、,，/|和与及或&+*_()（）]*|\s*(?:and|or|,\s*and)\s*", re.IGNORECASE)


def _only_listed(index: StudyIndex, a: str, b: str, sentence: str) -> bool:
    """Whether the two stand side by side in the sentence as members of a list, a table row or a heading's
    pair ('A、B 和 C', 'A | B'), with nothing between them that could say how they relate."""
    if " | " in sentence:
        return False  # a table row sets its cells against each other: the table says how they differ
    folded = sentence.casefold()
    spots = {}
    for concept_id in (a, b):
        concept = index.concepts[concept_id]
        labels = [label.casefold() for label in (concept.name, *concept.aliases) if len(label) >= 2]
        spots[concept_id] = [(m.start(), m.end()) for label in labels for m in re.finditer(re.escape(label), folded)]
    if not spots[a] or not spots[b]:
        return False  # named through a spelling the sentence no longer shows: do not guess
    return any(_LIST_GAP.fullmatch(folded[min(e1, e2):max(s1, s2)]) is not None
               for s1, e1 in spots[a] for s2, e2 in spots[b] if e1 <= s2 or e2 <= s1)


def _missing_links(index: StudyIndex, area: set[str]) -> list[GapItem]:
    """Pairs the notes name together only side by side in lists, table rows or headings, never in a sentence
    that relates them (no cue, no words between them), with no typed relation anywhere: most often first."""
    view = index.all_relations
    scored = []
    for u, v in itertools.combinations(sorted(area), 2):
        data = view.get_edge_data(u, v)
        if not data or index.typed_between(u, v):
            continue
        together = [r for r in data["relations"] if r.type is RelationType.RELATED_TO]
        evidence = [e for r in together for e in r.evidence]
        if not evidence or any(e.rule == STATED_WITH_CUE for e in evidence):
            continue  # never named together, or a sentence relates them in words no rule could read
        if not all(_only_listed(index, u, v, e.text) for e in evidence):
            continue  # a sentence with a verb between them says something of how they relate
        scored.append((-len(evidence), u, v, [e.text for e in evidence][:EVIDENCE_SENTENCES], len(evidence)))
    scored.sort()
    return [GapItem(kind="missing_link", concepts=[u, v], evidence=sentences, explanation=(
        f"{index.name(u)} and {index.name(v)} are listed side by side {count} time(s), but nothing in the notes "
        f"says how they relate")) for _, u, v, sentences, count in scored]
