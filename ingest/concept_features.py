"""The concept tagger's view of a block: its tokens (a Chinese character, a Latin word or number, a symbol) and,
for each, named features: what the token is and its shape, the jieba word it sits in, its neighbours, and what
the document's structure says of it (heading, bold, brackets, a glossary name).

Chinese names rarely have marked edges, so a character is tagged with the word jieba puts it in and where in that
word it stands; Latin names are told by their shape (GQA, FlashAttention, FP16, Leaky ReLU).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from ingest.lexicon import load_lexicon
from ingest.markdown import Block
from ingest.segments import words_of
from ingest.tokenizer import fold_keeping_length, fold_width

TOKEN = re.compile(r"[\u3400-\u9fff]|[A-Za-z0-9][A-Za-z0-9+#]*(?:[-.'][A-Za-z0-9][A-Za-z0-9+#]*)*|\S")
_CJK = re.compile(r"[\u3400-\u9fff]")
_OPEN, _CLOSE = "(（[【「《", ")）]】」》"
_MAX_WORD = 6  # a longer jieba word is a phrase; its identity helps little


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokens_of(text: str) -> list[Token]:
    """The tokens of a block's (width-folded) text.

    >>> [t.text for t in tokens_of("用GPT-3的 KV cache（键值）")]
    ['用', 'GPT-3', '的', 'KV', 'cache', '(', '键', '值', ')']
    """
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(fold_width(text))]


def shape(token: str) -> str:
    """A token's shape: Chinese, an acronym, a capitalised or lower-case word, a number, a mixed name, a symbol.

    >>> [shape(t) for t in ["键", "GQA", "Adam", "cache", "2024", "FP16", "vLLM", "-"]]
    ['zh', 'AA', 'Aa', 'aa', '00', 'A0', 'aA', '.']
    """
    if _CJK.match(token):
        return "zh"
    if token.isdigit():
        return "00"
    if not token[0].isalnum():
        return "."
    if any(ch.isdigit() for ch in token):
        return "A0"
    if token.isupper():
        return "AA"
    if token[0].isupper():
        return "Aa" if token[1:].islower() or len(token) == 1 else "aA"
    return "aa" if token.islower() else "aA"


@cache
def _glossary() -> ahocorasick.Automaton | None:
    """Every name and alias of the bundled glossary, lower-cased, for a 'glossary name here' feature."""
    automaton = ahocorasick.Automaton()
    for entry in load_lexicon():
        for label in entry.labels():
            folded = fold_width(label).casefold()
            if len(folded) >= 2:
                automaton.add_word(folded, len(folded))
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _marks(text: str, tokens: list[Token], bold: list[str]) -> tuple[list[bool], list[bool], list[str]]:
    """Per token: inside a bold run, inside brackets, and its place in a glossary name (B, I or '')."""
    bold_chars = bytearray(len(text))
    for run in bold:
        at = text.find(run) if run else -1
        if at >= 0:
            bold_chars[at:at + len(run)] = b"\x01" * len(run)
    depth, bracketed = 0, bytearray(len(text))
    for at, char in enumerate(text):
        if char in _CLOSE:
            depth = max(0, depth - 1)
        if depth:
            bracketed[at] = 1
        if char in _OPEN:
            depth += 1
    glossary = bytearray(len(text))  # 1 where a glossary name starts, 2 inside one
    automaton = _glossary()
    if automaton is not None:
        folded = fold_keeping_length(fold_width(text), str.casefold)
        for end, length in automaton.iter(folded):
            start = end - length + 1
            if (start and folded[start - 1].isalnum() and folded[start].isascii()) or (
                    end + 1 < len(folded) and folded[end + 1].isalnum() and folded[end].isascii()):
                continue  # 'lora' inside 'explorar'
            glossary[start] = 1
            for at in range(start + 1, end + 1):
                glossary[at] = max(glossary[at], 2)
    places = {0: "", 1: "B", 2: "I"}
    return ([bool(bold_chars[t.start]) for t in tokens], [bool(bracketed[t.start]) for t in tokens],
            [places[glossary[t.start]] for t in tokens])


def _jieba_places(text: str, tokens: list[Token]) -> list[tuple[str, str]]:
    """(the jieba word a token sits in, the token's place in it: S alone, B first, M inside, E last)."""
    starts: dict[int, tuple[int, str]] = {}
    position = 0
    for word in words_of(fold_width(text)):
        for offset in range(len(word)):
            starts[position + offset] = (position, word)
        position += len(word)
    places = []
    for token in tokens:
        word_start, word = starts.get(token.start, (token.start, token.text))
        word_end = word_start + len(word)
        if word_start == token.start and word_end == token.end:
            place = "S"
        elif word_start == token.start:
            place = "B"
        elif word_end == token.end:
            place = "E"
        else:
            place = "M"
        places.append((word.lower() if len(word) <= _MAX_WORD else "<long>", place))
    return places


def block_features(block: Block) -> tuple[list[Token], list[list[str]]]:
    """The block's tokens and each one's features."""
    text = block.text
    tokens = tokens_of(text)
    if not tokens:
        return tokens, []
    bold, bracketed, glossary = _marks(text, tokens, block.bold)
    words = _jieba_places(text, tokens)
    lowered = [t.text.lower() for t in tokens]
    shapes = [shape(t.text) for t in tokens]
    kind = "heading" if block.kind == "heading" or block.is_lead else block.kind
    count = len(tokens)
    features = []
    for i in range(count):
        word, place = words[i]
        current = lowered[i]
        row = [f"w={current}", f"s={shapes[i]}", f"k={kind}", f"jw={word}", f"jp={place}", f"jw|jp={word}|{place}"]
        if shapes[i] != "zh":
            row += [f"p3={current[:3]}", f"x3={current[-3:]}", f"len={min(len(current), 8)}"]
        if bold[i]:
            row.append("bold")
        if bracketed[i]:
            row.append("bracket")
        if glossary[i]:
            row.append(f"gloss={glossary[i]}")
        for step in (-2, -1, 1, 2):
            j = i + step
            if 0 <= j < count:
                row += [f"{step}w={lowered[j]}", f"{step}s={shapes[j]}"]
                if abs(step) == 1:
                    row.append(f"{step}jp={words[j][1]}")
                    if glossary[j]:
                        row.append(f"{step}gloss={glossary[j]}")
                    if bold[j] != bold[i]:
                        row.append(f"{step}bold-edge")
            else:
                row.append(f"{step}=edge")
        if i:
            row.append(f"-1w|w={lowered[i - 1]}|{current}")
        if i + 1 < count:
            row.append(f"w|+1w={current}|{lowered[i + 1]}")
        features.append(row)
    return tokens, features
