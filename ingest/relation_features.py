"""Features of a relation candidate, each a named string: the kind of candidate, the words between and around the
two concepts, the cue phrases there (ingest.cues), the readings today's cue rules made of the pair, and how the
two stand (distance, brackets, list, question). The relation model weighs them; nothing here decides."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import ahocorasick

from ingest.candidates import Candidate
from ingest.cues import CUES
from ingest.segments import name_words, words_of
from ingest.tokenizer import fold_keeping_length

Reading = tuple[int, str, str]  # (line, relation type, rule) of one rule reading of a pair
WINDOW = 4  # words taken before the first side and after the second
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_BRACKET_OPEN = re.compile(r"[(（]\s*$")
_EXAMPLE_BEFORE = re.compile(r"(?:如|例如|比如|包括|such as|like|e\.g\.|including)\W*$", re.IGNORECASE)
_QUESTION = re.compile(r"[?？]\s*$|^\s*(?:什么|为什么|如何|怎么|why|what|how)\b", re.IGNORECASE)
_CHAR_BUCKETS = (0, 2, 5, 10, 20, 40, 80)
_COUNT_BUCKETS = (1, 2, 4, 8, 16)


@cache
def _cue_finder() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for phrase in CUES:
        if phrase.strip():
            automaton.add_word(phrase.lower(), phrase.lower())
    automaton.make_automaton()
    return automaton


def words(text: str) -> list[str]:
    """Lower-case words of a stretch of text (jieba for Chinese, whole Latin words), spaces dropped.

    >>> words("GQA 采用 grouped keys")
    ['gqa', '采用', 'grouped', 'keys']
    """
    return [w.lower() for w in words_of(text) if w.strip()]


def _bucket(value: int, bounds: tuple[int, ...] = _CHAR_BUCKETS) -> str:
    for bound in bounds:
        if value <= bound:
            return f"<={bound}"
    return f">{bounds[-1]}"


def _cues_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of every cue phrase in the text; a Latin phrase only as whole words."""
    found = []
    lowered = fold_keeping_length(text, str.lower)
    for end, phrase in _cue_finder().iter(lowered):
        start = end - len(phrase) + 1
        if phrase[0].isascii() and phrase[0].isalpha() and ((start and lowered[start - 1].isalnum()) or (
                end + 1 < len(lowered) and lowered[end + 1].isalnum())):
            continue
        found.append((start, end + 1, phrase))
    return found


@dataclass(frozen=True)
class NoteFacts:
    """What the whole note says of its concepts, for the features of each candidate."""

    readings: dict[tuple[str, str], list[Reading]]  # the cue rules' readings by (source, target)
    names: dict[str, str]  # each concept's name, for a side the text does not name
    mentions: dict[str, int]  # how often the note names each concept
    topics: frozenset[str]  # concepts a heading of the note is about
    pair_counts: dict[frozenset[str], int]  # how many candidates each pair has in the note

    @classmethod
    def of(cls, candidates: Iterable[Candidate], readings: dict[tuple[str, str], list[Reading]],
           names: dict[str, str], mentions: dict[str, int], topics: Iterable[str]) -> NoteFacts:
        return cls(readings, names, mentions, frozenset(topics), dict(Counter(c.pair for c in candidates)))


def candidate_features(candidate: Candidate, facts: NoteFacts, use_rules: bool = True) -> list[str]:
    """The candidate's features."""
    text = candidate.text
    kind = candidate.kind
    features = [f"kind={kind}", f"block={candidate.block_kind}", f"kind|block={kind}|{candidate.block_kind}",
                "lang=zh" if _CJK.search(text) else "lang=en"]
    if candidate.question or _QUESTION.search(text):
        features.append("question")
    if not candidate.near:
        features.append("far-topic")
    second = candidate.second_span
    first = candidate.first_span
    if first is not None and second is not None:
        left, right = (first, second) if first[0] <= second[0] else (second, first)
        between_text = text[left[1]:right[0]]
        before_text, after_text = text[:left[0]], text[right[1]:]
        features.append(f"gap={_bucket(len(between_text.strip()))}")
        if first[0] > second[0]:
            features.append("second-named-first")
    elif second is not None:
        between_text, before_text, after_text = text[:second[0]], "", text[second[1]:]
        features.append(f"lead={_bucket(len(between_text.strip()))}")
    else:
        between_text, before_text, after_text = text, "", ""
    between = words(between_text)
    features += [f"bw={w}" for w in between[:40]]
    features += [f"bb={a}|{b}" for a, b in pairwise(between)][:40]
    if between:
        features += [f"b1={between[0]}", f"b-1={between[-1]}", f"{kind}|b1={between[0]}", f"{kind}|b-1={between[-1]}"]
    else:
        features.append("adjacent")
    before_words = words(before_text[-30:])[-WINDOW:]
    after_words = words(after_text[:30])[:WINDOW]
    features += [f"pre={w}" for w in before_words]
    features += [f"post={w}" for w in after_words]
    if before_words:
        features.append(f"pre-1={before_words[-1]}")
    else:
        features.append("opens-sentence")  # the earlier side is the sentence's subject
    if after_words:
        features.append(f"post1={after_words[0]}")
    separators = sum(between_text.count(mark) for mark in "，,;；")
    features.append(f"clauses-between={min(separators, 3)}")
    if between_text.strip(" \t") in ("和", "与", "及", "、", "或", ",", "，", "and", "or", "/", "&"):
        features.append("coordinated")
    sentence_words = words(text[:20])[:2]
    features += [f"s0={w}" for w in sentence_words[:1]] + [f"s01={'|'.join(sentence_words)}"]
    if between_text.count("、") + between_text.count(",") + between_text.count("，") >= 2:
        features.append("listed-between")
    if _BRACKET_OPEN.search(between_text):
        features.append("bracketed")
    if _EXAMPLE_BEFORE.search(between_text):
        features.append("example-before-second")
    offset = (first[1] if first is not None and second is not None and first[0] <= second[0] else 0)
    for start, end, phrase in _cues_in(text):
        spec = CUES.get(phrase)
        where = "in" if offset <= start and end <= offset + len(between_text) else "out"
        features.append(f"cue-{where}={phrase}")
        if spec is not None:
            features.append(f"cuetype-{where}={spec.relation.value}:{spec.pattern}")
    counts = (facts.mentions.get(candidate.first, 0), facts.mentions.get(candidate.second, 0))
    features += [f"mentions1={_bucket(counts[0], _COUNT_BUCKETS)}", f"mentions2={_bucket(counts[1], _COUNT_BUCKETS)}",
                 f"mentions12={_bucket(min(counts), _COUNT_BUCKETS)}",
                 f"pair-count={_bucket(facts.pair_counts.get(candidate.pair, 1), _COUNT_BUCKETS)}"]
    features += [f"heading-topic{side}" for side, concept in (("1", candidate.first), ("2", candidate.second))
                 if concept in facts.topics]
    features += name_features("1", _side_text(text, first, facts.names.get(candidate.first, "")))
    features += name_features("2", _side_text(text, second, facts.names.get(candidate.second, "")))
    if use_rules:
        features += rule_features(candidate, facts.readings)
    return features


def _side_text(text: str, span: tuple[int, int] | None, name: str) -> str:
    return text[span[0]:span[1]] if span is not None else name


def name_features(side: str, name: str) -> list[str]:
    """What a side is called: its name, lower-cased, and its head (last word: '激活函数', 'attention')."""
    lowered = " ".join(name.lower().split())
    if not lowered:
        return []
    parts = [w for w in name_words(lowered) if w.strip()]
    head = parts[-1] if parts else lowered
    found = [f"n{side}={lowered}", f"h{side}={head}"]
    if _CJK.search(lowered) and len(lowered) >= 2:
        found.append(f"t{side}={lowered[-2:]}")
    return found


def rule_features(candidate: Candidate, readings: dict[tuple[str, str], list[Reading]]) -> list[str]:
    """What the cue rules read of the pair on the candidate's line, oriented from its first side."""
    found = []
    for (source, target), arrow in (((candidate.first, candidate.second), ">"), ((candidate.second, candidate.first),
                                                                                 "<")):
        for line, relation, rule in readings.get((source, target), ()):
            if abs(line - candidate.line) <= 1:
                family = rule.split(":")[0].split("+")[0]
                found += [f"rule={relation}{arrow}", f"rulefam={family}|{relation}{arrow}"]
            else:
                found.append(f"rule-elsewhere={relation}")
    return found or ["no-rule"]
