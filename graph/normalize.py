"""Matching keys for concept names: width-, case- and script-insensitive, original spelling kept elsewhere."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_JOINERS = str.maketrans("", "", " -_·.'’\u00a0\t")


@lru_cache(maxsize=500_000)
def normalize_text(text: str) -> str:
    """NFKC, case-folded and simplified Chinese, so 'ＲｏＰＥ' and 'rope' and '旋轉' match their twins.

    >>> normalize_text("ＬＬａＭＡ－２ 旋轉位置編碼")
    'llama-2 旋转位置编码'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    if any("\u3400" <= ch <= "\u9fff" for ch in folded):
        folded = _TO_SIMPLIFIED.convert(folded)
    return folded


@lru_cache(maxsize=200_000)
def concept_key(name: str) -> str:
    """The identity of a concept name: normalised text without spaces, hyphens, dots or underscores.

    >>> concept_key("KV-Cache") == concept_key("kv cache") == concept_key("KVCache")
    True
    """
    return normalize_text(name).translate(_JOINERS)


@lru_cache(maxsize=200_000)
def slugify(name: str) -> str:
    """A readable, stable concept id from a display name.

    >>> slugify("Grouped-Query Attention")
    'grouped-query-attention'
    >>> slugify("旋转位置编码")
    '旋转位置编码'
    """
    text = normalize_text(name)
    out: list[str] = []
    for ch in text:
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-") or "concept"
