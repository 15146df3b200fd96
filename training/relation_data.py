"""Training examples for the relation model: every candidate the extractor puts forward in an annotated note,
with its features and its label from the annotation (a type and direction, or NONE).

The note is read against its annotated concepts (each alias a name of that concept) and, as distractors, other
names a tagger proposes, so that the model also learns what to say of pairs the annotation does not relate.
A candidate whose pair the annotation relates on another line is left out: the annotation keeps one statement
per pair, and the others are neither right nor wrong examples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.normalize import slugify
from ingest.candidates import Candidate
from ingest.extract import DocumentExtractor
from ingest.lexicon import ConceptEntry, ConceptIndex, load_lexicon
from ingest.nlp import build_nlp, release
from ingest.reader import SourceFile
from ingest.relation_features import candidate_features
from ingest.trained import note_facts
from training.data import AnnotatedNote

NONE = "NONE"
SYMMETRIC = "COMPARED_WITH"
LINE_SLACK = 2


@dataclass
class Example:
    note: str
    repo: str
    candidate: Candidate
    features: list[str]
    rule_free: list[str]  # the same features without the cue rules' readings (the 'model only' ablation)
    label: str


def label_of(candidate: Candidate, note: AnnotatedNote, by_pair: dict[frozenset[str], list]) -> str | None:
    """The candidate's label: the annotated type with its direction seen from the candidate's first side, NONE
    when the annotation does not relate the pair, None when it relates it on another line."""
    records = by_pair.get(candidate.pair)
    if not records:
        return NONE
    for record in records:
        if abs(record.line - candidate.line) <= LINE_SLACK:
            if record.rel == SYMMETRIC:
                return SYMMETRIC
            return f"{record.rel}{'>' if record.a == candidate.first else '<'}"
    return None


def note_index(note: AnnotatedNote, distractors: Iterable[str], use_lexicon: bool = True) -> ConceptIndex:
    """The annotated concepts first (their keys as ids), then the glossary and the distractor names."""
    index = ConceptIndex(())
    for key, aliases in note.concepts.items():
        index.add(ConceptEntry(key, aliases[0], aliases[1:], None, ["annotated"]))
    if use_lexicon:
        for entry in load_lexicon():
            if not any(index.find(label) for label in entry.labels()):
                index.add(ConceptEntry(entry.id, entry.name, list(entry.aliases), entry.kind, list(entry.signals)))
    for name in sorted(set(distractors)):
        if name.strip() and index.find(name) is None:
            entry_id = slugify(name)
            if entry_id and entry_id not in index.by_id:
                index.add(ConceptEntry(entry_id, name, [], None, ["tagged"]))
    return index


def note_examples(note: AnnotatedNote, distractors: Iterable[str]) -> list[Example]:
    """Every candidate of the note, featured and labelled (ambiguous ones left out)."""
    index = note_index(note, distractors)
    source = SourceFile(id=note.name, path=Path(note.name), text=note.text, encoding="utf-8", sha256="0" * 64)
    extractor = DocumentExtractor(source, note.parsed, index)
    nlp = build_nlp(index, spot_terms=False)  # as the trained pipeline reads: its tagger names the concepts
    extractor.run(nlp)
    release(nlp)
    by_pair: dict[frozenset[str], list] = {}
    for record in note.relations:
        by_pair.setdefault(frozenset((record.a, record.b)), []).append(record)
    candidates = extractor.collector.candidates()
    facts = note_facts(extractor, index, candidates)
    examples = []
    for candidate in candidates:
        label = label_of(candidate, note, by_pair)
        if label is None:
            continue
        examples.append(Example(note.name, note.repo, candidate, candidate_features(candidate, facts, True),
                                candidate_features(candidate, facts, False), label))
    return examples
