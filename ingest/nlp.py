"""Build the spaCy pipeline: mixed tokenizer, concept ruler, term spotter, cue marker."""

from __future__ import annotations

import spacy
from spacy.language import Language

import ingest.components
import ingest.tokenizer  # noqa: F401  (registers studygraph.mixed_tokenizer.v1)
from graph.normalize import concept_key
from ingest.lexicon import ConceptIndex

_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "studygraph.mixed_tokenizer.v1"}}}


def spelling_variants(label: str) -> set[str]:
    """'KV Cache' also as 'KV-Cache' and 'KVCache', since the tokenizer keeps hyphenated terms whole."""
    variants = {label}
    if " " in label or "-" in label:
        variants |= {label.replace("-", " "), label.replace(" ", "-"), label.replace(" ", "").replace("-", "")}
    return {variant for variant in variants if variant.strip()}


def build_nlp(index: ConceptIndex, spot_terms: bool = True) -> Language:
    """A pipeline whose ruler knows every concept in the index (lexicon plus discovered names). `spot_terms` adds
    the rule pipeline's spotter of acronyms no name covers; the trained pipeline leaves naming to its tagger."""
    nlp = spacy.blank("xx", config=_CONFIG)
    nlp.max_length = 100_000_000  # one Doc per document; no parser or NER whose memory grows with length
    nlp.add_pipe("studygraph_concepts_v1")
    use_names(nlp, index)
    if spot_terms:
        nlp.add_pipe("studygraph_terms_v1")
    nlp.add_pipe("studygraph_cues_v1")
    return nlp


def use_names(nlp: Language, index: ConceptIndex) -> Language:
    """Have the pipeline's ruler know the index's names, and only those (a pipeline serves note after note)."""
    ruler = nlp.get_pipe("studygraph_concepts_v1")
    ruler.clear()  # type: ignore[attr-defined]
    names = []
    seen: set[tuple[str, str]] = set()
    for entry in index.by_id.values():
        for label in entry.labels():
            for variant in spelling_variants(label):
                if len(concept_key(variant)) < 2 or (entry.id, variant) in seen:
                    continue
                seen.add((entry.id, variant))
                names.append((variant, entry.kind or "concept", entry.id))
    ruler.add_names(names)  # type: ignore[attr-defined]
    return nlp


def release(nlp: Language) -> None:
    """Drop the ruler's patterns now. The pipeline and its components refer to each other, so without this the
    matcher's hundreds of thousands of pattern objects wait for a cyclic collection, which a server runs with
    the interpreter lock held (0.2 s and more for 50,000 known concepts) while its readers wait."""
    nlp.get_pipe("studygraph_concepts_v1").clear()  # type: ignore[attr-defined]
