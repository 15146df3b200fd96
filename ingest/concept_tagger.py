"""The trained concept tagger: which runs of a note's tokens name a concept, read by a CRF model that ships
with the package (`ingest/models/`), loaded once and offline."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import pycrfsuite

from ingest.concept_features import Token, block_features
from ingest.markdown import Block

MODELS = Path(__file__).resolve().parent / "models"
TAGGER_FILE = MODELS / "concept_tagger.crfsuite"
# A token is part of a name when the tagger gives it this probability or more of not being outside one (its
# marginal, not only its best path): more names for a few more that are not (naming recall 0.71 -> 0.73,
# precision 0.57 -> 0.54 on a held-out fold).
INSIDE = 0.35
# A block longer than this is tagged a window at a time, cut after a sentence end where there is one: the
# features of every token of a block are held at once, about 1.5 KB per token, so a one-line 1 MB note held
# 1.5 GB. The longest block of the training notes, the seeds and the examples is 1,604 characters, so no real
# note is cut; a window's edges lose only the tagger's view of the next window's first tokens.
WINDOW_CHARS = 8_000
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.\s")


def spans_of_labels(tokens: Sequence[Token], labels: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) in the block's text of each tagged run: a B and the I tokens after it (an I after O opens
    one too, as the tagger means a name there).

    >>> from ingest.concept_features import tokens_of
    >>> spans_of_labels(tokens_of("用 KV cache 推理 GQA"), ["O", "B", "I", "O", "O", "B"])
    [(2, 10), (14, 17)]
    """
    inside = [0.0 if label == "O" else 1.0 for label in labels]
    return spans_of_marginals(tokens, inside, [1.0 if label == "B" else 0.0 for label in labels], 0.5)


@cache
def _tagger(path: Path = TAGGER_FILE) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def spans_of_marginals(tokens: Sequence[Token], inside: Sequence[float], begins: Sequence[float],
                       threshold: float = INSIDE) -> list[tuple[int, int]]:
    """(start, end) of each run of tokens whose probability of being in a name reaches the threshold; a token
    more likely to begin a name than not starts a new one.

    >>> from ingest.concept_features import tokens_of
    >>> spans_of_marginals(tokens_of("用 KV cache 推理 GQA"), [0, .9, .8, .1, .1, .5], [0, .9, .1, 0, 0, .5])
    [(2, 10), (14, 17)]
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for token, p_inside, p_begin in zip(tokens, inside, begins, strict=True):
        if p_inside >= threshold and (start is None or p_begin > 0.5):
            if start is not None:
                spans.append((start, end))
            start = token.start
        elif p_inside < threshold and start is not None:
            spans.append((start, end))
            start = None
        end = token.end
    if start is not None:
        spans.append((start, end))
    return spans


def tagged_spans(block: Block, path: Path = TAGGER_FILE) -> list[tuple[int, int]]:
    """The spans of the block's text the tagger reads as concept names."""
    if len(block.text) <= WINDOW_CHARS:
        return _tagged(block, path)
    return [(offset + start, offset + end) for offset, window in windows(block)
            for start, end in _tagged(window, path)]


def windows(block: Block, size: int = WINDOW_CHARS) -> Iterator[tuple[int, Block]]:
    """(offset, block holding that stretch of the text) for a long block, each stretch at most `size`
    characters, ending after the last sentence end inside it when there is one.

    >>> from ingest.markdown import Block
    >>> [(o, w.text) for o, w in windows(Block("paragraph", 1, "甲乙。丙丁戊。己", "", ""), size=4)]
    [(0, '甲乙。'), (3, '丙丁戊。'), (7, '己')]
    """
    text, offset = block.text, 0
    while offset < len(text):
        end = min(len(text), offset + size)
        if end < len(text):
            last_end = max((found.end() for found in _SENTENCE_END.finditer(text, offset, end)), default=offset)
            if last_end > offset:
                end = last_end
        yield offset, replace(block, text=text[offset:end], newlines=None)
        offset = end


def _tagged(block: Block, path: Path) -> list[tuple[int, int]]:
    tokens, features = block_features(block)
    if not tokens:
        return []
    tagger = _tagger(path)
    tagger.set(features)
    count = len(tokens)
    inside = [1.0 - tagger.marginal("O", i) for i in range(count)]
    begins = [tagger.marginal("B", i) for i in range(count)]
    return spans_of_marginals(tokens, inside, begins)
