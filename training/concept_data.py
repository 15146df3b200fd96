"""Training sequences for the concept tagger: every prose block of an annotated note, its tokens' features, and
BIO labels from where the note's annotated concepts are mentioned (any of their aliases)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.concept_features import Token, block_features
from training.data import AnnotatedNote, alias_needles, gold_spans, prose_blocks


@dataclass
class Sequence:
    note: str
    block: int
    text: str
    tokens: list[Token]
    features: list[list[str]]
    labels: list[str]


def bio_labels(tokens: list[Token], spans: list[tuple[int, int, str]]) -> list[str]:
    """B for a token that starts a mention, I inside one, O elsewhere.

    >>> from ingest.concept_features import tokens_of
    >>> bio_labels(tokens_of("用 KV cache 推理"), [(2, 10, "kv")])
    ['O', 'B', 'I', 'O', 'O']
    """
    labels = ["O"] * len(tokens)
    for start, end, _ in spans:
        inside = [i for i, token in enumerate(tokens) if token.start < end and token.end > start]
        for position, i in enumerate(inside):
            labels[i] = "B" if position == 0 else "I"
    return labels


def note_sequences(note: AnnotatedNote) -> list[Sequence]:
    """The note's blocks as tagger sequences, labelled from its annotation."""
    sequences = []
    needles = alias_needles(note.concepts)
    for index, block in prose_blocks(note.parsed):
        tokens, features = block_features(block)  # type: ignore[arg-type]
        if not tokens:
            continue
        spans = gold_spans(block.text, needles)  # type: ignore[attr-defined]
        sequences.append(Sequence(note.name, index, block.text, tokens, features,  # type: ignore[attr-defined]
                                  bio_labels(tokens, spans)))
    return sequences
