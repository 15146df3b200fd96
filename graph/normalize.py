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


MAX_PROFILE_NAME = 100
# Characters a profile name may not hold: controls, line and paragraph separators, and the invisible format
# characters that reorder or hide text (bidi embeddings and overrides, zero-width joiners, the BOM).
_HIDDEN_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x061C, 0x061C), (0x180E, 0x180E), (0x200B, 0x200F),
                  (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF))
_HIDDEN_CLASS = "".join(f"\\u{low:04X}" + (f"-\\u{high:04X}" if high > low else "") for low, high in _HIDDEN_RANGES)
# The same rule as a regular expression (Python and Rust syntax alike), for the API's schema: some visible
# character, none of the hidden ones.
PROFILE_NAME_PATTERN = f"^[^{_HIDDEN_CLASS}]*[^\\s{_HIDDEN_CLASS}][^{_HIDDEN_CLASS}]*$"


def _hidden(character: str) -> bool:
    code = ord(character)
    return any(low <= code <= high for low, high in _HIDDEN_RANGES)


def profile_name(raw: str) -> str:
    """The name a learner profile is stored under: NFKC, trimmed and case-folded, so 'me', ' ME' and 'ＭＥ' are one
    profile; a name with control, direction or zero-width characters is refused (ValueError), since it would
    show as another name than it is.

    >>> profile_name(" ＭＥ "), profile_name("Zhāng 三")
    ('me', 'zhāng 三')
    """
    hidden = next((ch for ch in raw if _hidden(ch)), None)
    if hidden is not None:
        raise ValueError(f"a profile name may not hold the invisible character U+{ord(hidden):04X}")
    if len(raw) > MAX_PROFILE_NAME:
        raise ValueError(f"a profile name has at most {MAX_PROFILE_NAME} characters")
    name = unicodedata.normalize("NFKC", raw).strip().casefold()
    if not name:
        raise ValueError("a profile name needs a visible character")
    return name
