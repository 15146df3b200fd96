"""Which text defines a concept: a sentence that says what it is, or the answer to a question asking what it is;
never a question or a title."""

from __future__ import annotations

import re
from enum import IntEnum

from ingest.sentence_sides import Mention

DEFINITION_CHARS = 200


class Strength(IntEnum):
    """How surely a text defines its concept: a stronger one replaces a weaker one found earlier."""

    NONE = 0
    LABELLED = 1  # 'X: …', 'X 是 …', 'X is …': often a definition, sometimes only a remark
    ANSWERED = 2  # the answer under 'What is X?' / '什么是X？'
    STATED = 3  # 'X 是一种 …', 'X 是指 …', 'X is a …', 'X refers to …': says what sort of thing X is


_STATED = re.compile(r"\s*[)）]?\s*(?:是指|指的是|是一种|是一类|是一个|是一套|即|就是|"
                     r"is an? |is the |are |refers to |means |stands for )", re.IGNORECASE)
_LABELLED = re.compile(r"\s*[)）]?\s*(?:是|指|:|：|is )", re.IGNORECASE)
# What follows the verb when the sentence asks instead ('X 是什么', 'X is what', 'X: why …?').
_ASKS = re.compile(r"\s*(?:什么|啥|哪|怎|如何|多少|谁|为何|为什么|what\b|how\b|why\b|which\b|when\b|where\b)",
                   re.IGNORECASE)
_QUESTION_END = re.compile(r"[?？]\s*[*_]*\s*$")
_LEAD_FILLER = "-*·●•0123456789.、)） "
# 'What is X?', '什么是X？': the question asks for X's definition when X follows these words, or ...
_WHAT_IS_BEFORE = re.compile(r"(?:什么是|什么叫|何为|何谓|\bwhat\s+(?:is|are)(?:\s+(?:an?|the))?|\bdefine)\s*$",
                             re.IGNORECASE)
# ... when X opens the question and these words follow it ('X 是什么？', 'X 指的是什么').
_WHAT_IS_AFTER = re.compile(r"\s*(?:是什么|是啥|指什么|指的是什么|是指什么|是何物)\s*$")
_QUESTION_LEAD = re.compile(r"[\s*_#●•·\-]*(?:Q\s*\d+\s*[:：.、]?|\d+\s*[.、)）:：])?[\s*_]*", re.IGNORECASE)
_ALIAS_IN_BRACKETS = re.compile(r"\s*[(（][^()（）]{0,60}[)）]")
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?=\s|$)")
_SHORTEST_OPENING = 20
ANSWER_MARK = re.compile(r"^\s*[*_]*\s*(?:答|答案|回答|标准答案|A)\s*[*_]*\s*[:：]\s*")


def sentence_strength(sentence: str, first: Mention) -> Strength:
    """How surely a sentence whose first concept is `first` defines it: the concept must open the sentence and
    a defining verb follow it; a question never defines.

    >>> m = Mention("rope", 0, 4)
    >>> [sentence_strength(s, m).name for s in ("RoPE 是一种相对位置编码。", "RoPE 是什么？", "RoPE: why does it work?")]
    ['STATED', 'NONE', 'NONE']
    """
    text = sentence.rstrip()
    if len(text) <= 12 or _QUESTION_END.search(text) or text[:first.start].strip().lstrip(_LEAD_FILLER):
        return Strength.NONE
    for pattern, strength in ((_STATED, Strength.STATED), (_LABELLED, Strength.LABELLED)):
        verb = pattern.match(text, first.end)
        if verb:
            return Strength.NONE if _ASKS.match(text, verb.end()) else strength
    return Strength.NONE


def asked_concept(question: str, mentions: list[Mention]) -> str | None:
    """The concept a question asks the definition of ('什么是滑动窗口注意力（SWA）？' -> SWA), or None when it asks
    something else ('RoPE 和 ALiBi 的区别？', 'Why does RoPE extrapolate?').

    >>> asked_concept("7. 什么是滑动窗口注意力（SWA）？", [Mention("swa", 6, 13)])
    'swa'
    >>> asked_concept("Q1: What is GQA? How does it save memory?", [Mention("gqa", 12, 15)])
    'gqa'
    >>> asked_concept("GRPO 是什么？", [Mention("grpo", 0, 4)]), asked_concept("RoPE 和 ALiBi 的区别？", [Mention("rope", 0, 4)])
    ('grpo', None)
    """
    for mention in mentions:
        before = question[:mention.start]
        rest = re.split(r"[?？]", question[mention.end:], maxsplit=1)[0]  # up to the end of the first question
        rest = _ALIAS_IN_BRACKETS.sub("", rest, count=1) if _ALIAS_IN_BRACKETS.match(rest) else rest
        if _WHAT_IS_BEFORE.search(before) and not rest.strip(" *_。.:："):
            return mention.concept
        if _QUESTION_LEAD.fullmatch(before) and _WHAT_IS_AFTER.fullmatch(rest.rstrip(" *_。.")):
            return mention.concept
    return None


def answer_opening(answer: str) -> str:
    """The first sentence of an answer (more when it is very short), as a definition: without its 'A:'/'答：'
    mark, on one line, clipped.

    >>> answer_opening("答：GQA 让几组注意力头各自共用一组 K 和 V。这样缓存更小。")
    'GQA 让几组注意力头各自共用一组 K 和 V。'
    """
    text = " ".join(ANSWER_MARK.sub("", answer).split())
    end = next((m.end() for m in _SENTENCE_END.finditer(text) if m.end() >= _SHORTEST_OPENING), len(text))
    return clip(text[:end])


def clip(text: str, limit: int = DEFINITION_CHARS) -> str:
    """`text` cut to `limit` characters, at a word's end in Latin script, ending in '…' when cut.

    >>> clip("Sliding Window Attention limits each token", 30), clip("短句", 30)
    ('Sliding Window Attention…', '短句')
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit].isascii() and text[limit].isalnum() and " " in cut:  # never inside a Latin word
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,，、;；:：") + "…"
