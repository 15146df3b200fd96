"""The two sides of a cue in one sentence: mentions, coordinated groups left and right, pronouns, the sentence's
own subject and the topic around it. The rules in `relations` and `sentence_shapes` build on this."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from graph.models import RelationType as R
from ingest.cues import COORDINATORS, PAIR_PRONOUNS, PRONOUNS, CueSpec
from ingest.sentence_patterns import (
    BARE_SUBJECT,
    CLAUSE_BREAK,
    DISCOURSE_LEAD,
    LABEL_COLON,
    LABEL_LINE,
    LEAD_FILLER,
    MODAL_END,
    NEGATED,
    NOT_SUBJECT_AFTER,
    NOUN_PHRASE_END,
    PARENTHETICAL,
    POSSESSIVE,
)

# A name that may stand next to another with only a space between ('BERT GPT'): it opens with a capital or digit.
_NAME_LIKE = re.compile(r"[A-Z0-9][\w.+#-]*(?:\s[A-Z0-9][\w.+#-]*)*")
BY_START = attrgetter("start")  # sort key for mentions and cues: C-level, unlike a lambda


def _inside_brackets(text: str, start: int, position: int) -> bool:
    """Whether `position` lies inside a bracket opened after `start`."""
    between = text[start:position]
    return between.count("(") + between.count("（") > between.count(")") + between.count("）")


class Mention(NamedTuple):
    """A concept mention inside a sentence (offsets relative to the sentence)."""

    concept: str
    start: int
    end: int


class Cue(NamedTuple):
    phrase: str
    spec: CueSpec
    start: int
    end: int


class Reading(NamedTuple):
    """A relation read from the sentence, with the rule that read it."""

    source: str
    target: str
    type: R
    confidence: float
    rule: str
    first: str | None = None


KindOf = Callable[[str], str | None]


def unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    """The items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))


class SentenceSides:
    """One sentence, its concept mentions and cues, and who stands on each side of a position in it."""

    def __init__(self, text: str, mentions: list[Mention], subject: str | None, previous: list[str],
                 kind_of: KindOf, subject_is_near: bool = True) -> None:
        self.text = text
        self.mentions = sorted(mentions, key=BY_START)
        self.subject = subject
        self.previous = previous
        self.kind_of = kind_of
        self.cues: list[Cue] = []
        self.subject_is_near = subject_is_near

    @cached_property
    def is_question(self) -> bool:
        return self.text.rstrip().rstrip("*_ ").endswith(("?", "？"))

    @cached_property
    def head(self) -> str | None:
        """In '**RMSNorm**: LayerNorm的简化版' the line's own label is what the rest talks about."""
        if not self.mentions:
            return None
        first = self.mentions[0]
        lead = self.text[:first.start].strip().lstrip("-*·●•0123456789.、)） ")
        return first.concept if not lead and LABEL_COLON.match(self.text[first.end:]) else None

    # ---- groups of coordinated concepts on each side of a cue ----

    def _is_coordination(self, gap: str) -> bool:
        stripped = PARENTHETICAL.sub("", gap).strip().strip("()（）*")  # "beam search (keeps k paths), …"
        if stripped.startswith((",", "，")) and stripped[1:].strip() in COORDINATORS:
            return True  # "DPO, IPO, and KTO": a serial comma before the last member
        return stripped == "" or stripped in COORDINATORS or all(ch in "和与及、,/或跟&→+()（） " for ch in stripped)

    def _joined(self, first: Mention, second: Mention) -> bool:
        """Two mentions coordinated by what stands between them. Nothing but a space joins only two names
        ('BERT GPT'); '4-bit quantization' or '并行 Adapter' is one phrase, not two members."""
        gap = self.text[first.end:second.start]
        if not gap.strip():
            return _NAME_LIKE.fullmatch(self.text[first.start:first.end]) is not None and _NAME_LIKE.fullmatch(
                self.text[second.start:second.end]) is not None
        return self._is_coordination(gap)

    def _pronoun_before(self, position: int) -> list[str]:
        """Concepts a pronoun just before `position` stands for (this sentence first, then the previous one)."""
        head = MODAL_END.sub("", self.text[:position].rstrip()).rstrip("和与及跟、").rstrip()
        lowered = head.lower()
        if not lowered.endswith(PRONOUNS):
            return []
        for pronoun in PRONOUNS:
            if lowered.endswith(pronoun):
                if self.topic and self.mentions[0].end <= len(head) - len(pronoun):
                    return [self.topic]  # "量化是…，它通过…": 'it' is the sentence's subject
                earlier = [m for m in self.mentions if m.end <= len(head) - len(pronoun)]
                if earlier:
                    return self._group_ending_at(earlier)
                if pronoun in PAIR_PRONOUNS:
                    return list(self.previous[-2:]) if len(self.previous) >= 2 else []
                return list(self.previous) or ([self.subject] if self.subject else [])
        return []

    def _group_ending_at(self, earlier: list[Mention]) -> list[str]:
        group = [earlier[-1]]
        for mention in reversed(earlier[:-1]):
            if not self._joined(mention, group[-1]):
                break
            group.append(mention)
        return unique(m.concept for m in reversed(group))

    def left_group(self, position: int, max_gap: int, cross_clause: bool = False) -> list[str]:
        before = [m for m in self.mentions if m.end <= position]
        pronoun = self._pronoun_before(position)
        if pronoun:
            return pronoun
        if not before:
            return []
        gap = self.text[before[-1].end:position]
        if len(gap.strip()) > max_gap or (not cross_clause and CLAUSE_BREAK.search(gap)):
            return []
        if "基础上" in gap:
            # "A 在 B 的基础上使用 C": the one who uses C is A, not B.
            return self.left_group(self._first_start([before[-1].concept], position), 3)
        group = [before[-1]]
        for mention in reversed(before[:-1]):
            between = self.text[mention.end:group[-1].start]
            if self._joined(mention, group[-1]) and self._ends_clause(group[-1], mention):
                break
            if not self._joined(mention, group[-1]):
                pronouns = self._pronoun_before(group[-1].start) if self._is_coordination(
                    between[-1:]) else []
                return unique([*pronouns, *(m.concept for m in reversed(group))])
            group.append(mention)
        names = [m.concept for m in reversed(group)]
        first_start = group[-1].start
        lead = self.text[:first_start].rstrip()
        if lead and lead[-1] in "和与及、":
            names = [*self._pronoun_before(len(lead) - 1), *names]
        return unique(names)

    def right_group(self, position: int, max_gap: int, cross_clause: bool = False) -> list[str]:
        after = [m for m in self.mentions if m.start >= position]
        tail = self.text[position:].lstrip()
        lowered = tail.lower()
        for pronoun in PRONOUNS if lowered.startswith(PRONOUNS) else ():
            if lowered.startswith(pronoun):
                start = position + (len(self.text[position:]) - len(tail))
                earlier = [m for m in self.mentions if m.end <= start]
                referents = self._group_ending_at(earlier) if earlier else (
                    list(self.previous) or self._subject_or_none())
                return unique([*referents, *self.right_group(start + len(pronoun), 4)])
        if not after:
            return []
        gap = self.text[position:after[0].start]
        if len(gap.strip()) > max_gap or (not cross_clause and CLAUSE_BREAK.search(gap)):
            return []
        if NEGATED.search(gap):
            return []  # "采用不剪枝的决策树": what follows a negation is not used
        bracket = max(gap.find("（"), gap.find("("))
        if bracket > 0 and gap[:bracket].strip():
            return []  # "使用两个矩阵（降维的投影…）": the object is the noun before the bracket
        while (len(after) > 1 and POSSESSIVE.fullmatch(self.text[after[0].end:after[1].start])
               and NOUN_PHRASE_END.match(self.text, after[1].end)):
            after = after[1:]  # "避免Sigmoid函数的“梯度消失”问题": the head of "A 的 B" is B (not in "PPO 的强化学习步骤")
        group = [after[0]]
        for mention in after[1:]:
            if _inside_brackets(self.text, group[-1].end, mention.start) and self.text[mention.start].isdigit():
                continue  # "LLaMA（7B）、Qwen（14B）": a size or version in brackets describes a member
            if not self._joined(group[-1], mention) or self._starts_clause(mention):
                break
            group.append(mention)
        return unique(m.concept for m in group)

    def _ends_clause(self, mention: Mention, earlier: Mention) -> bool:
        """'BERT 用 WordPiece,GPT 用 BPE': the name after an earlier cue closes that clause; it is not a subject."""
        return any(0 <= earlier.start - cue.end <= 2 for cue in self.cues) and mention.start - earlier.end <= 2

    def _starts_clause(self, mention: Mention) -> bool:
        """'BERT 用 WordPiece,GPT 用 BPE': a name right before a cue is the next clause's subject, not a member."""
        return any(0 <= cue.start - mention.end <= 2 for cue in self.cues)

    # ---- rules ----

    def _clause_subject(self, position: int) -> str | None:
        """'KTO 不需要成对数据，可以直接…': a clause without a subject continues the subject of the clause before
        it in the same sentence (a concept that opens that clause)."""
        starts = [0, *(m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position))]
        for start in reversed(starts[:-1]):
            clause = self.text[start:position]
            lead = len(clause) - len(DISCOURSE_LEAD.sub("", clause.lstrip(LEAD_FILLER)))
            opener = next((m for m in self.mentions if m.start == start + lead), None)
            if opener and not NOT_SUBJECT_AFTER.match(self.text, opener.end):
                return opener.concept
        return None

    def _subject_or_none(self) -> list[str]:
        if self.head:
            return [self.head]
        if self.labelled:
            return []  # "迁移学习和预训练：利用…": the line's own label is its topic, not the section's
        if self.topic:
            return [self.topic]
        return [self.subject] if self.subject else []

    @cached_property
    def labelled(self) -> bool:
        """The line opens with a label naming concepts ('迁移学习和预训练：…') that is not a single head."""
        label = LABEL_LINE.match(self.text)
        return bool(label) and bool(self.text[label.end():].strip(" *_\n")) and any(
            m.end <= label.end() for m in self.mentions)

    @cached_property
    def topic(self) -> str | None:
        """'RMSNorm在计算时…，这样可以减少…': a concept that opens the sentence as its subject is what its
        later clauses talk about, before any heading's topic."""
        if not self.mentions:
            return None
        first = self.mentions[0]
        lead = DISCOURSE_LEAD.sub("", self.text[:first.start].strip().lstrip("-*·●•0123456789.、)） "))
        if lead or NOT_SUBJECT_AFTER.match(self.text, first.end):
            return None
        return first.concept

    def _gap_after(self, group: list[str], limit: int) -> str:
        ends = [m.end for m in self.mentions if m.concept in group and m.end <= limit]
        return self.text[max(ends):limit] if ends else ""

    def _first_start(self, group: list[str], limit: int) -> int:
        """Where the group nearest before `limit` begins: each concept's last mention before it, the earliest."""
        latest: dict[str, int] = {}
        for mention in self.mentions:
            if mention.concept in group and mention.end <= limit:
                latest[mention.concept] = mention.start
        return min(latest.values()) if latest else limit

    def _after_group(self, group: list[str], position: int) -> str:
        """The text after the group that starts at `position` (each concept's first mention there, not a later one)."""
        first_end: dict[str, int] = {}
        for mention in self.mentions:
            if mention.concept in group and mention.start >= position:
                first_end.setdefault(mention.concept, mention.end)
        return self.text[max(first_end.values()):] if first_end else ""

    def _pairs(self, sources: list[str], targets: list[str], relation: R, confidence: float,
               cue: Cue) -> list[Reading]:
        rule = f"cue:{cue.phrase}"
        return [Reading(s, t, relation, confidence, rule) for s in sources for t in targets if s != t]

    def _colon_members(self, position: int) -> list[str]:
        """The coordinated concepts right after the next colon in the clause ('组成：编码器和解码器')."""
        colon = re.compile(r"[^，,。;；]{0,12}?[:：]").match(self.text, position)
        return self.right_group(colon.end(), 2) if colon else []

    def _copula_subjects(self, position: int) -> list[str]:
        """What the clause before 是 names: its concepts, else the topic when the clause says only 'it'."""
        clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position)), default=0)
        before = self.text[clause_start:position]
        group = self.left_group(position, 4)
        if group and POSSESSIVE.match(self._gap_after(group, position)):
            return []  # "Softmax的输出是一个概率分布": the subject is what the concept has, not the concept
        if group and all(clause_start <= m.start for m in self.mentions if m.concept in group):
            return group
        if BARE_SUBJECT.fullmatch(before) and (self.head or self.subject_is_near):
            return self._subject_or_none()
        return []
