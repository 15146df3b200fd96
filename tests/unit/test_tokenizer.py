"""The mixed Chinese/English tokenizer and the width folding its offsets rely on."""

from __future__ import annotations

import random

import spacy

import ingest.tokenizer  # noqa: F401  (registers the tokenizer)
from ingest.tokenizer import fold_width


def _nlp():  # type: ignore[no-untyped-def]
    return spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "studygraph.mixed_tokenizer.v1"}}})


def test_terms_stay_whole_and_chinese_splits_per_character() -> None:
    doc = _nlp()("GPT-3 用 KV Cache 和 Top-P，LLaMA-2 v1.5 旋转编码")
    assert [t.text for t in doc] == ["GPT-3", "用", "KV", "Cache", "和", "Top-P", ",", "LLaMA-2", "v1.5",
                                     "旋", "转", "编", "码"]


def test_the_doc_keeps_every_character_of_the_folded_text() -> None:
    text = "  开头\n\n  RoPE  （旋转）\t\tx \n"
    doc = _nlp()(text)
    assert doc.text == fold_width(text)
    assert len(doc.text) == len(text)


def test_token_norms_fold_case_width_and_script() -> None:
    doc = _nlp()("ＲｏＰＥ 旋轉")
    assert [t.norm_ for t in doc] == ["rope", "旋", "转"]


def test_fold_width_matches_a_per_character_table() -> None:
    """The numpy fast path gives what str.translate gives, including lone surrogates (its fallback)."""
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    alphabet = "aZ0 \n旋，（）：？！～｟　\U0001F600" + chr(0xFF01) + chr(0xFF5E) + chr(0xFF00) + chr(0xFF5F)
    rng = random.Random(3)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert fold_width(text) == text.translate(table)
    assert fold_width("ａ\ud800Ｂ") == "a\ud800B"


def test_long_chinese_runs_and_gaps_after_them() -> None:
    text = "旋" * 5000 + "  转\n编 码"
    doc = _nlp()(text)
    assert len(doc) == 5000 + 5 and doc.text == text  # the second space of "  " is a token
    assert [t.whitespace_ for t in doc[4999:]] == [" ", "", "", "", " ", ""]


def test_joiners_stay_inside_a_term_only_between_letters_or_digits() -> None:
    doc = _nlp()("a..b x- y GPT-3.5-turbo C++ it's -z")
    assert [t.text for t in doc] == ["a", ".", ".", "b", "x", "-", "y", "GPT-3.5-turbo", "C++", "it's", "-", "z"]
