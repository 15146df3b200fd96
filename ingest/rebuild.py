"""What a write must store so that the graph depends on the set of documents, never on the order they came in.

A document is read against a vocabulary: the lexicon plus every name discovered in all the notes. So a new note
can bring a name that an older note mentions, and removing a note can take one away. One ingest of every note
at once is the reference. An update gives the same result by discovering names over all stored notes again (they
keep their text) and re-reading only the notes where a name they contain changed. Each stored document carries
a fingerprint of the vocabulary entries whose names occur in its text; a note is read again when it differs.

Documents stored without their text (imported graph files, stores written before the text was kept) cannot be
read again: their concepts join the vocabulary as known names, as before.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import ahocorasick

from graph.bulk import paused_gc
from graph.models import DocumentGraph
from graph.normalize import concept_key, normalize_text
from ingest.lexicon import LEXICON_FILE, ConceptEntry, ConceptIndex
from ingest.markdown import parse_markdown
from ingest.pipeline import Extraction, Progress, build_vocabulary, extract_with, trained_graphs
from ingest.reader import SourceFile
from ingest.trained import shipped_models

# Removed from text and names alike before looking a name up: more than the matcher ignores, so a name the
# matcher could find in a text is always found here (a false "occurs" only costs one more reading).
_IGNORED = re.compile(r"[\s\W_]+")


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def change_for(sources: Iterable[SourceFile] = (), removed: Iterable[str] = (), imported: Iterable[DocumentGraph] = (),
               progress: Progress = _quiet, use_lexicon: bool = True, extraction: Extraction = "trained",
               ) -> Callable[[dict[str, DocumentGraph]], tuple[list[DocumentGraph], list[str]]]:
    """New notes, imported graphs and removals as a change a store applies to its documents
    (`update_documents`), with every stored note the change affects read again."""
    sources, removed, imported = list(sources), list(removed), list(imported)

    def change(stored: dict[str, DocumentGraph]) -> tuple[list[DocumentGraph], list[str]]:
        return updated_graphs(stored, sources, removed, imported, progress, use_lexicon, extraction), removed

    return change


def updated_graphs(stored: dict[str, DocumentGraph], sources: Iterable[SourceFile], removed: Iterable[str] = (),
                   imported: Iterable[DocumentGraph] = (), progress: Progress = _quiet,
                   use_lexicon: bool = True, extraction: Extraction = "trained") -> list[DocumentGraph]:
    """The graphs to write, with `removed` removed, so the store holds what one ingest of all its notes gives:
    the new sources' graphs, the imported ones, and those of stored notes that must be read again."""
    with paused_gc():
        if extraction == "rules":
            return _updated(stored, list(sources), set(removed), list(imported), progress, use_lexicon)
        return _updated_trained(stored, list(sources), set(removed), list(imported), progress, use_lexicon)


def _updated_trained(stored: dict[str, DocumentGraph], sources: list[SourceFile], removed: set[str],
                     imported: list[DocumentGraph], progress: Progress, use_lexicon: bool) -> list[DocumentGraph]:
    """Each note reads against the glossary, the imported graphs' names and its own tagged names only: a stored
    note is read again when the models changed or a name from an imported graph came or went in its text, never
    because another note was added (so adding one note reads one note)."""
    if not sources and not removed and not imported:
        return []
    incoming = {source.id for source in sources}
    kept = _kept(stored, incoming, removed, imported)
    known = [ConceptEntry(c.id, c.name, list(c.aliases), c.kind, list(c.signals))
             for graph in kept.values() if graph.source is None for c in graph.concepts]
    models = shipped_models()
    names = name_automaton(ConceptIndex(known))
    everything = sorted([*(_source_of(g) for g in kept.values() if g.source is not None), *sources],
                        key=lambda source: source.id)
    stamp = f"{models.version}:{lexicon_stamp() if use_lexicon else 'no-lexicon'}"
    fingerprints = {source.id: f"{stamp}:{vocabulary_fingerprint(names, source.text)}" for source in everything}
    chosen = [source for source in everything
              if source.id in incoming or kept[source.id].vocabulary != fingerprints[source.id]]
    graphs = trained_graphs([(s, parse_markdown(s.id, s.text)) for s in chosen], known, progress, use_lexicon, models)
    for graph, source in zip(graphs, chosen, strict=True):
        graph.source, graph.vocabulary = source.text, fingerprints[source.id]
        graph.origin = source.origin if source.id in incoming else kept[source.id].origin
    return [*imported, *graphs]


@cache
def lexicon_stamp() -> str:
    """The bundled glossary's digest: its names are tagger features, so a new glossary reads every note again."""
    return "lexicon-" + hashlib.sha256(LEXICON_FILE.read_bytes()).hexdigest()[:12]


def _kept(stored: dict[str, DocumentGraph], incoming: set[str], removed: set[str], imported: list[DocumentGraph]
          ) -> dict[str, DocumentGraph]:
    kept = {doc_id: graph for doc_id, graph in stored.items() if doc_id not in removed and doc_id not in incoming}
    kept.update((graph.document.id, graph) for graph in imported)
    return dict(sorted(kept.items()))


def _updated(stored: dict[str, DocumentGraph], sources: list[SourceFile], removed: set[str],
             imported: list[DocumentGraph], progress: Progress, use_lexicon: bool) -> list[DocumentGraph]:
    if not sources and not removed and not imported:
        return []
    incoming = {source.id for source in sources}
    kept = _kept(stored, incoming, removed, imported)
    readable = [_source_of(graph) for graph in kept.values() if graph.source is not None]
    known = [ConceptEntry(c.id, c.name, list(c.aliases), c.kind, list(c.signals))
             for graph in kept.values() if graph.source is None for c in graph.concepts]
    everything = sorted([*readable, *sources], key=lambda source: source.id)
    index, parsed = build_vocabulary(everything, known, progress, use_lexicon)
    names = name_automaton(index)
    fingerprints = {source.id: vocabulary_fingerprint(names, source.text) for source in everything}
    chosen = [(source, document) for source, document in zip(everything, parsed, strict=True)
              if source.id in incoming or kept[source.id].vocabulary != fingerprints[source.id]]
    graphs = extract_with(index, chosen, progress) if chosen else []
    for graph, (source, _) in zip(graphs, chosen, strict=True):
        graph.source, graph.vocabulary = source.text, fingerprints[source.id]
        graph.origin = source.origin if source.id in incoming else kept[source.id].origin
    return [*imported, *graphs]


def _source_of(graph: DocumentGraph) -> SourceFile:
    document = graph.document
    return SourceFile(id=document.id, path=Path(document.path), text=graph.source or "", encoding=document.encoding,
                      sha256=document.sha256)


def name_automaton(index: ConceptIndex) -> ahocorasick.Automaton:
    """Every name of every entry (folded as texts are), each leading to the entries it names: one Aho-Corasick
    pass over a text finds them all, where a search per name made a note of thousands of names quadratic."""
    entries: dict[str, set[str]] = defaultdict(set)
    for entry in index.by_id.values():
        described = repr((entry.id, entry.name, sorted(entry.aliases), entry.kind, sorted(entry.signals)))
        for label in entry.labels():
            if key := _IGNORED.sub("", concept_key(label)):
                entries[key].add(described)
    automaton = ahocorasick.Automaton()
    for key, described in entries.items():
        automaton.add_word(key, frozenset(described))
    if entries:
        automaton.make_automaton()
    return automaton


def vocabulary_fingerprint(names: ahocorasick.Automaton, text: str) -> str:
    """A digest of the vocabulary entries with a name that occurs in `text`: equal digests, equal readings."""
    folded = _IGNORED.sub("", normalize_text.__wrapped__(text))  # uncached: a whole text is looked at once
    present: set[str] = set()
    if len(names):
        for _, described in names.iter(folded):
            present |= described
    return hashlib.sha256("\n".join(sorted(present)).encode("utf-8")).hexdigest()
