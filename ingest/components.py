"""spaCy components that annotate a Doc: concept mentions, candidate terms and relation cue phrases."""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick
import numpy
from spacy.attrs import NORM, ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ingest.cues import CUES
from ingest.terms import is_acronym
from ingest.tokenizer import token_norms

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


_SEPARATOR = "\x00"  # between token norms in the strings the automaton reads; NUL never reaches a Doc


class ConceptRuler:
    """Marks every concept name and alias in a Doc, matched on the NORM of its tokens (case, width, script),
    keeping the longest in characters wherever matches overlap (earliest first on a tie).

    Names are found with one Aho-Corasick pass over the Doc's norms joined by a separator, names being joined
    the same way: spaCy's SpanRuler made a pattern Doc per name, which for a note of tens of thousands of names
    took longer than reading the note.
    """

    def __init__(self, nlp: Language, spans_key: str = CONCEPTS_KEY) -> None:
        self.nlp = nlp
        self.key = spans_key
        self.clear()

    def clear(self) -> None:
        """Forget every name."""
        self.automaton = ahocorasick.Automaton()
        self.names: dict[str, list[tuple[str, str]]] = {}  # joined norms -> (label, id) of each concept it names
        self.capitalised: set[str] = set()  # joined norms whose every registered name has a capital letter
        self.lowercase: set[str] = set()
        self.built = False

    def add_names(self, names: Iterable[tuple[str, str, str]]) -> None:
        """(name, label, concept id) triples; a name two concepts share marks both, as spaCy's ruler did."""
        default_norm = self.nlp.vocab.lex_attr_getters[NORM]
        for name, label, concept_id in names:
            norms = token_norms(name, default_norm)
            if not norms:
                continue
            joined = _SEPARATOR + _SEPARATOR.join(norms) + _SEPARATOR
            owners = self.names.setdefault(joined, [])
            if (label, concept_id) not in owners:
                owners.append((label, concept_id))
            (self.capitalised if any(ch.isupper() for ch in name) else self.lowercase).add(joined)
        self.built = False

    def __call__(self, doc: Doc) -> Doc:
        _set_spans(doc, self.key, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Span]:
        if not self.names or not len(doc):
            return []
        if not self.built:
            strings = self.nlp.vocab.strings
            for joined, owners in self.names.items():
                ids = [strings.add(repr((label, concept_id))) for label, concept_id in owners]
                self.automaton.add_word(joined, (joined.count(_SEPARATOR) - 1, ids, owners, joined))
            self.automaton.make_automaton()
            self.built = True
        norms = [token.norm_ for token in doc]
        joined = _SEPARATOR + _SEPARATOR.join(norms) + _SEPARATOR
        token_at = {}  # the offset of the separator after each token -> the index of the token after it
        offset = 0
        for index, norm in enumerate(norms):
            offset += len(norm) + 1
            token_at[offset] = index + 1
        found, owner_of = [], {}
        text = doc.text
        for end, (length, ids, owners, key) in self.automaton.iter(joined):
            stop = token_at[end]
            if key in self.capitalised and key not in self.lowercase and _common_word(
                    text[doc[stop - length].idx:doc[stop - 1].idx + len(doc[stop - 1])]):
                continue  # 'zero' in prose is no mention of ZeRO, nor 'in' of IN (Instance Normalization)
            for match_id, owner in zip(ids, owners, strict=True):
                found.append((match_id, stop - length, stop))
                owner_of[match_id] = owner
        offsets = [token.idx for token in doc] + [len(doc.text)]
        kept = longest_matches(found, len(doc), offsets)
        strings = doc.vocab.strings
        spans = []
        for start, end, match_id in kept:
            label, concept_id = owner_of[match_id]
            spans.append(Span(doc, start, end, label=strings.add(label), span_id=strings.add(concept_id)))
        return spans


def _common_word(surface: str) -> bool:
    """A lower-case English word short enough or common enough to be a word, not a capitalised name written small:
    'zero', 'in', 'the' (a stop word, or four letters or fewer)."""
    return surface.isascii() and surface.isalpha() and surface.islower() and (
        len(surface) <= 4 or surface in STOP_WORDS)


@Language.factory("studygraph_concepts_v1", default_config={"spans_key": CONCEPTS_KEY})
def make_concept_ruler(nlp: Language, name: str, spans_key: str) -> ConceptRuler:
    """Concept names and aliases, matched on the normalised NORM of each token."""
    return ConceptRuler(nlp, spans_key=spans_key)


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
