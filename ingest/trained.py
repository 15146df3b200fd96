"""The trained pipeline, note by note: reading → mentions (the concept tagger's names and the glossary, matched
in the note) → candidates → scoring (the relation model) → the note's graph. Models load from package data; a
test or a cross-validation fold may hand in others."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from spacy.language import Language

from graph.models import DocumentGraph, RelationType
from ingest.candidates import Candidate
from ingest.concept_tagger import TAGGER_FILE
from ingest.extract import DocumentExtractor
from ingest.lexicon import ConceptEntry, ConceptIndex
from ingest.markdown import ParsedDocument
from ingest.nlp import build_nlp, release, use_names
from ingest.note_vocabulary import note_index
from ingest.reader import SourceFile
from ingest.relation_features import NoteFacts
from ingest.relation_model import MODELS, RelationModel, load_model
from ingest.scoring import rate, relations_of


@dataclass(frozen=True)
class TrainedModels:
    """The concept tagger's file and the relation model."""

    tagger: Path
    relations: RelationModel

    @cached_property
    def version(self) -> str:
        """Changes with either model: a store reads its notes again when the version it read them with differs
        (hashed once: a write asks it for every stored note)."""
        digest = hashlib.sha256(self.tagger.read_bytes()).hexdigest()[:12]
        return f"{digest}-{self.relations.version}"


@cache
def shipped_models(directory: Path = MODELS) -> TrainedModels:
    """The models that ship with the package (read once per process)."""
    return TrainedModels(directory / TAGGER_FILE.name, load_model(directory))


def models_available(directory: Path = MODELS) -> bool:
    return (directory / TAGGER_FILE.name).is_file() and (directory / "relation_model.npz").is_file()


class NoteReader:
    """Reads notes one after another with one spaCy pipeline, each against its own vocabulary."""

    def __init__(self, models: TrainedModels, known: Iterable[ConceptEntry] = (), use_lexicon: bool = True) -> None:
        self.models = models
        self.known = list(known)
        self.use_lexicon = use_lexicon
        self.nlp: Language | None = None

    def read(self, source: SourceFile, parsed: ParsedDocument) -> DocumentGraph:
        index = note_index(parsed, self.known, self.use_lexicon, self.models.tagger)
        if self.nlp is None:
            self.nlp = build_nlp(index, spot_terms=False)
        else:
            use_names(self.nlp, index)
        return graph_of(source, parsed, index, self.nlp, self.models.relations)

    def close(self) -> None:
        if self.nlp is not None:
            release(self.nlp)
            self.nlp = None


def note_facts(extractor: DocumentExtractor, index: ConceptIndex, candidates: list[Candidate]) -> NoteFacts:
    """What the extractor learnt of the note's concepts, for the relation model's features."""
    names = {entry_id: entry.name for entry_id, entry in index.by_id.items()}
    return NoteFacts.of(candidates, extractor.collector.readings, names, extractor.mention_counts(),
                        extractor.section_main.values())


def graph_of(source: SourceFile, parsed: ParsedDocument, index: ConceptIndex, nlp: Language,
             model: RelationModel) -> DocumentGraph:
    """The note's graph: its concepts and co-occurrences as the extractor reads them, its typed relations as the
    relation model rates the extractor's candidates."""
    extractor = DocumentExtractor(source, parsed, index)
    graph = extractor.run(nlp)
    collector = extractor.collector
    candidates = collector.candidates()
    rated = rate(candidates, note_facts(extractor, index, candidates), model)
    typed = relations_of(rated, source.id, model.threshold)
    graph.relations = [r for r in graph.relations if r.type is RelationType.RELATED_TO] + typed
    return graph
