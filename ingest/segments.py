"""Word segmentation for the trained models' features: rjieba, jieba's dictionary and algorithm in Rust (its
dictionary ships inside the wheel; nothing is downloaded), twenty times faster than jieba in Python, which the
cue rules keep using (`ingest.vocabulary.segment`)."""

from __future__ import annotations

from functools import lru_cache

import rjieba


def words_of(text: str) -> list[str]:
    """The words of a text, every character kept (spaces and symbols are words of their own).

    >>> words_of("自注意力使用 KV cache")
    ['自', '注意力', '使用', ' ', 'KV', ' ', 'cache']
    """
    return rjieba.cut(text)


@lru_cache(maxsize=100_000)
def name_words(name: str) -> tuple[str, ...]:
    """The words of a short name; names recur across candidates and notes, so they are kept."""
    return tuple(rjieba.cut(name))
