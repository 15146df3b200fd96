"""spaCy components that annotate a Doc: concept mentions, candidate terms and relation cue phrases."""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

from ingest.cues import CUES
from ingest.terms import is_acronym

CONCEPTS_KEY = "concepts"
TERMS_KEY = "terms"
CUES_KEY = "cues"
_MADE_SPANS = "studygraph.made_spans"


def spans_of(doc: Doc, key: str) -> list[Span]:
    """The spans a component set under `key`, as the Span objects it made.

    Reading `doc.spans[key]` builds a fresh Span per item on every pass; the later components and the
    extractor read these lists instead.
    """
    made = doc.user_data.get(_MADE_SPANS, {})
    return made[key] if key in made else list(doc.spans.get(key, []))


def release_spans(doc: Doc) -> None:
    """Drop the lists `spans_of` reads once the extractor has them: they point back at the Doc, a reference
    cycle that only the garbage collector would free (and ingest pauses it)."""
    doc.user_data.pop(_MADE_SPANS, None)


def _set_spans(doc: Doc, key: str, spans: list[Span]) -> None:
    doc.spans[key] = spans
    doc.user_data.setdefault(_MADE_SPANS, {})[key] = spans

# Shapes that are acronyms but not study topics in these notes.
NON_CONCEPT_TERMS = frozenset(
    ["GPU", "CPU", "TPU", "NPU", "API", "ID", "IDS", "OK", "URL", "HTTP", "HTTPS", "JSON", "YAML", "PDF", "HTML", "CSS", "SQL", "IO", "QA", "FAQ", "TODO", "PS", "NB", "AI", "ML", "DL", "NLP", "CV", "TB", "GB", "MB", "KB", "FLOPS", "FLOPs", "QPS", "TPS", "SLA", "KPI", "PPT", "PR", "CI", "CD", "AB", "ETL", "SDK", "IDE", "OS", "VS", "CN", "EN", "US", "UK", "USA", "GPT4", "LLMs", "QKV", "MLOps", "TFLOPs", "CPUs", "GPUs", "IDs", "APIs"]
)


def longest_matches(matches: list[tuple[int, int, int]], length: int,
                    offsets: list[int] | None = None) -> list[tuple[int, int, int]]:
    """(start, end, match_id) of the longest of overlapping matches (earliest first on a tie), in text order.
    With `offsets` (each token's character offset, and the text's end last) length is counted in characters:
    'Leaky ReLU' (two tokens) is longer than 'ReLU函数' (three).

    >>> longest_matches([(7, 0, 1), (8, 0, 2), (9, 1, 3), (5, 3, 4)], 4)
    [(0, 2, 8), (3, 4, 5)]
    >>> longest_matches([(1, 0, 2), (2, 1, 4)], 4, [0, 6, 10, 11, 12])
    [(0, 2, 1)]
    """
    if offsets is None:
        ranked = sorted({(start - end, start, match_id, end) for match_id, start, end in matches if start != end})
    else:
        ranked = sorted({(offsets[start] - offsets[end], start, match_id, end) for match_id, start, end in matches
                         if start != end})
    taken = bytearray(length + 1)
    kept = []
    for _length, start, match_id, end in ranked:
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            kept.append((start, end, match_id))
    return sorted(kept)


class LongestMatchRuler(SpanRuler):
    """A SpanRuler that keeps the longest match wherever matches overlap (earliest first on a tie).

    It picks the winners from the matcher's (id, start, end) tuples and makes Spans only for them: the stock
    ruler makes, deduplicates and sorts a Span for every match, and most matches lose to a longer one.
    """

    def match(self, doc: Doc) -> list[Span]:
        self._require_patterns()
        offsets = [token.idx for token in doc] + [len(doc.text)]
        kept = longest_matches(self.phrase_matcher(doc), len(doc), offsets)
        # Label and id as string-store hashes, once per concept: given strings, Span hashes them per span.
        labels, strings = self._match_label_id_map, doc.vocab.strings
        hashes = {m: (strings.add(labels[m]["label"]), strings.add(labels[m]["id"])) for m in {m for _, _, m in kept}}
        spans = []
        for start, end, match_id in kept:
            label, span_id = hashes[match_id]
            spans.append(Span(doc, start, end, label=label, span_id=span_id))
        return spans

    def set_annotations(self, doc: Doc, matches: list[Span]) -> None:
        _set_spans(doc, self.key or CONCEPTS_KEY, matches)


@Language.factory("studygraph_concepts_v1", default_config={"spans_key": CONCEPTS_KEY})
def make_concept_ruler(nlp: Language, name: str, spans_key: str) -> SpanRuler:
    """Phrase ruler over concept names and aliases, matched on the normalised NORM of each token."""
    return LongestMatchRuler(nlp, name, spans_key=spans_key, phrase_matcher_attr="NORM", validate=False,
                             overwrite=True)


class TermSpotter:
    """Marks acronym/CamelCase tokens that no known concept covers, as candidate concepts."""

    def __init__(self, spans_key: str = TERMS_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        covered: set[int] = set()
        for span in spans_of(doc, CONCEPTS_KEY):
            covered.update(range(span.start, span.end))
        # Judge each distinct spelling once, then find its positions: Python-level token loops are the slow part.
        orths = doc.to_array([ORTH])
        strings = doc.vocab.strings
        candidates = [orth for orth in numpy.unique(orths) if _is_term(strings[int(orth)])]
        positions = numpy.flatnonzero(numpy.isin(orths, candidates)) if candidates else []
        label = strings.add("TERM")
        _set_spans(doc, self.spans_key, [Span(doc, int(i), int(i) + 1, label=label) for i in positions
                                         if int(i) not in covered])
        return doc


def _is_term(text: str) -> bool:
    return len(text) <= 24 and text not in NON_CONCEPT_TERMS and is_acronym(text)


@Language.factory("studygraph_terms_v1")
def make_term_spotter(nlp: Language, name: str) -> TermSpotter:
    return TermSpotter()


class CueMarker:
    """Marks relation cue phrases ("采用", "variant of", "vs") with their phrase as the span label."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for phrase in CUES:
            self.matcher.add(phrase, [nlp.make_doc(phrase)])

    def __call__(self, doc: Doc) -> Doc:
        _set_spans(doc, CUES_KEY, [Span(doc, start, end, label=match_id)
                                   for start, end, match_id in longest_matches(self.matcher(doc), len(doc))])
        return doc


@Language.factory("studygraph_cues_v1")
def make_cue_marker(nlp: Language, name: str) -> CueMarker:
    return CueMarker(nlp)
