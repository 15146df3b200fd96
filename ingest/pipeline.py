"""Notes files -> per-document graphs, with progress: read, parse, discover concepts, extract relations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from graph.bulk import paused_gc
from graph.models import DocumentGraph
from ingest.discovery import discover_concepts
from ingest.extract import DocumentExtractor
from ingest.lexicon import ConceptEntry, ConceptIndex, load_lexicon
from ingest.markdown import ParsedDocument, parse_markdown
from ingest.nlp import build_nlp, release
from ingest.reader import Skipped, SourceFile, find_note_files, read_notes
from ingest.trained import NoteReader, TrainedModels, shipped_models

Progress = Callable[[str, int, int], None]
# How relations are read: "trained" (the concept tagger and the relation model, note by note) or "rules" (the cue
# rules over names discovered in the whole batch: the pipeline before training, kept for comparison).
Extraction = Literal["trained", "rules"]


@dataclass
class IngestResult:
    """What an ingest run produced and what it refused."""

    graphs: list[DocumentGraph] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def extract_graphs(
    sources: list[SourceFile],
    known_concepts: Iterable[ConceptEntry] = (),
    progress: Progress = _quiet,
    use_lexicon: bool = True,
    extraction: Extraction = "trained",
) -> list[DocumentGraph]:
    """Extract every source against the lexicon (unless switched off) and names already in the store: with the
    trained models each note against the names its own text holds, with the rules against names discovered in
    this batch."""
    with paused_gc():
        if extraction == "rules":
            return _extract_graphs(sources, known_concepts, progress, use_lexicon)
        return trained_graphs([(s, parse_markdown(s.id, s.text)) for s in sources], known_concepts, progress,
                              use_lexicon)


def trained_graphs(documents: list[tuple[SourceFile, ParsedDocument]], known_concepts: Iterable[ConceptEntry] = (),
                   progress: Progress = _quiet, use_lexicon: bool = True,
                   models: TrainedModels | None = None) -> list[DocumentGraph]:
    """Each parsed source's graph, read by the trained pipeline (the shipped models unless others are given)."""
    reader = NoteReader(models or shipped_models(), known_concepts, use_lexicon)
    graphs = []
    try:
        for done, (source, document) in enumerate(documents, start=1):
            graphs.append(reader.read(source, document))
            progress("extract", done, len(documents))
    finally:
        reader.close()
    return graphs


def _extract_graphs(sources: list[SourceFile], known_concepts: Iterable[ConceptEntry],
                    progress: Progress, use_lexicon: bool) -> list[DocumentGraph]:
    index, parsed = build_vocabulary(sources, known_concepts, progress, use_lexicon)
    return extract_with(index, list(zip(sources, parsed, strict=True)), progress)


def build_vocabulary(sources: list[SourceFile], known_concepts: Iterable[ConceptEntry], progress: Progress,
                     use_lexicon: bool) -> tuple[ConceptIndex, list[ParsedDocument]]:
    """The names every source is read against (lexicon, known names, names discovered in all the sources),
    and each source parsed."""
    index = ConceptIndex(load_lexicon() if use_lexicon else ())
    for entry in known_concepts:
        if index.find(entry.name) is None and entry.id not in index.by_id:
            index.add(entry)
    parsed: list[ParsedDocument] = []
    for done, source in enumerate(sources, start=1):
        parsed.append(parse_markdown(source.id, source.text))
        progress("parse", done, len(sources))
    discover_concepts(parsed, index)
    return index, parsed


def extract_with(index: ConceptIndex, documents: list[tuple[SourceFile, ParsedDocument]],
                 progress: Progress = _quiet) -> list[DocumentGraph]:
    """Each parsed source's graph, read against `index` (which extraction never changes)."""
    nlp = build_nlp(index)
    graphs = []
    try:
        for done, (source, document) in enumerate(documents, start=1):
            graphs.append(DocumentExtractor(source, document, index).run(nlp))
            progress("extract", done, len(documents))
    finally:
        release(nlp)
    return graphs


def ingest_paths(
    targets: Iterable[str],
    max_file_bytes: int,
    known_hashes: dict[str, str] | None = None,
    known_concepts: Iterable[ConceptEntry] = (),
    progress: Progress = _quiet,
    use_lexicon: bool = True,
    extraction: Extraction = "trained",
) -> IngestResult:
    """Read the targets, skip refused and unchanged files, and extract the rest (as one batch)."""
    result = read_sources(targets, max_file_bytes, known_hashes)
    result.graphs = extract_graphs(result.sources, known_concepts, progress, use_lexicon, extraction)
    return result


def read_sources(targets: Iterable[str], max_file_bytes: int, known_hashes: dict[str, str] | None = None,
                 ) -> IngestResult:
    """Read the targets; refused files go to `skipped`, files whose content the store holds to `unchanged`."""
    pairs, skipped = find_note_files(targets)
    result = IngestResult(skipped=list(skipped))
    for item in read_notes(pairs, max_file_bytes):
        if isinstance(item, Skipped):
            result.skipped.append(item)
        elif known_hashes and known_hashes.get(item.id) == item.sha256:
            result.unchanged.append(item.id)
        else:
            result.sources.append(item)
    return result
