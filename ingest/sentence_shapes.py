"""Readings a sentence's shape states without a cue phrase: the copula with a kind marker, '一种Y是X',
'类别：A、B、C', a category with its members in brackets, '受…启发', '从 A 到 B 的改进', and two subjects with a
predicate of likeness."""

from __future__ import annotations

import re
from itertools import pairwise

from graph.models import RelationType as R
from ingest.sentence_patterns import (
    CATEGORY_MARK,
    CATEGORY_TAIL,
    CLAUSE_BREAK,
    COLON_LIST_HEAD,
    COPULA,
    COUNTED_KIND_BEFORE,
    DESCRIBING,
    FROM_TO_IMPROVED,
    IN_BETWEEN,
    INSPIRED,
    LIKENESS,
    LISTED_BEFORE,
    MEMBER_LIST,
    MEMBER_SEPARATORS,
    MEMBER_TAIL,
    MODIFIES_AFTER,
    PART_OF_CATEGORY,
    SENTENCE_LEAD,
    SET_AGAINST,
)
from ingest.sentence_sides import Cue, Mention, Reading, SentenceSides


class SentenceShapes(SentenceSides):
    """Shape readings; `SentenceReader` adds the cue rules."""

    def _copula(self) -> list[Reading]:
        """'Adam是最常用的优化器之一', 'LayerNorm是一种常见的归一化方法': the subject is a kind of
        the noun phrase that ends the clause. A marker (一种, 之一 ...) must say it is a kind: 'X 是 Y' alone may
        be two names of one thing."""
        readings = []
        for match in COPULA.finditer(self.text):
            clause_end = CLAUSE_BREAK.search(self.text, match.end())
            end = clause_end.start() if clause_end else len(self.text)
            objects = [m for m in self.mentions if match.end() <= m.start and m.end <= end]
            if not objects:
                continue
            if PART_OF_CATEGORY.fullmatch(self.text[objects[0].end:end].rstrip("。. ")):
                # "量化粒度是量化技术中的一个重要概念": a notion inside a larger topic is part of it.
                readings += [Reading(s, objects[0].concept, R.PART_OF, 0.65, "copula:是…中的")
                             for s in self._copula_subjects(match.start()) if s != objects[0].concept]
                continue
            reversed_kind = self._reversed_copula(match.start(), objects)
            if reversed_kind:
                readings += reversed_kind
                continue
            if not CATEGORY_TAIL.fullmatch(self.text[objects[-1].end:end]):
                continue
            last = objects[-1]
            subjects = self._copula_subjects(match.start())
            # "P-Tuning v2、LoRA等都是…高效微调技术": members listed before 都是 belong to the category they share.
            listed = len(subjects) >= 2 and LISTED_BEFORE.search(self.text[:match.start()])
            if not (CATEGORY_MARK.search(self.text[match.end():end]) or listed
                    or self._described_kind(match.end(), objects)):
                continue
            category = last.concept
            readings += [Reading(s, category, R.IS_A, 0.7, "copula:是") for s in subjects if s != category]
        return readings

    def _described_kind(self, position: int, objects: list[Mention]) -> bool:
        """'Adam是自适应的优化器', 'RMSNorm是简化版LayerNorm': words that describe the object before it make it a
        kind the subject belongs to; 'X 是 Y' with nothing between may be two names of one thing."""
        if len(objects) != 1 or any(position <= cue.start < objects[0].start for cue in self.cues):
            return False
        describing = self.text[position:objects[0].start].strip(" *_")
        if not describing.endswith("的") and self.kind_of(objects[0].concept) is None:
            return False  # "GRU是门控循环单元": the words may be the rest of a spelled-out name, not a description
        return bool(DESCRIBING.fullmatch(describing))

    def _reversed_copula(self, position: int, objects: list[Mention]) -> list[Reading]:
        """'一种常见的解码策略是 Beam Search': the kind comes first, introduced by 一种, and the name after 是."""
        clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position)), default=0)
        before = self.text[clause_start:position]
        if not re.match(r"\s*(?:其中)?\s*(?:另)?(?:一种|一类|一个)", before) or len(objects) != 1:
            return []
        kinds = [m for m in self.mentions if clause_start <= m.start and m.end <= position]
        if not kinds or not CATEGORY_TAIL.fullmatch(self.text[kinds[-1].end:position]):
            return []
        return [Reading(objects[0].concept, kinds[-1].concept, R.IS_A, 0.65, "copula:一种…是")]

    def _paired_subject_likeness(self) -> list[Reading]:
        """'编码器和解码器的层数可以相同，也可以不同': two concepts that open the sentence as
        its joint subject, and a predicate of likeness or difference, compare them."""
        if len(self.mentions) < 2 or not SENTENCE_LEAD.match(self.text[:self.mentions[0].start]):
            return []
        first, second = self.mentions[0], self.mentions[1]
        if not re.fullmatch(r"\s*(?:和|与|跟|同|及|and)\s*", self.text[first.end:second.start]):
            return []
        clause = CLAUSE_BREAK.search(self.text, second.end)
        rest = self.text[second.end:clause.start() if clause else len(self.text)]
        if not LIKENESS.search(rest) or any(second.end <= m.start < second.end + len(rest) for m in self.mentions):
            return []
        return [Reading(first.concept, second.concept, R.COMPARED_WITH, 0.6, "cue:A和B…不同")]

    def _colon_list(self) -> list[Reading]:
        """'Pick one of three decoding strategies: greedy search (…), beam search and sampling', '两种类型的剪枝：
        A和B': a category right before a colon, and two or more coordinated names after it, are its kinds."""
        readings = []
        for colon in re.finditer(r"[:：]", self.text):
            heads = [m for m in self.mentions if m.end <= colon.start()]
            if not heads or not COLON_LIST_HEAD.fullmatch(self.text[heads[-1].end:colon.end()]):
                continue
            if not self.text[heads[-1].end:colon.start()].strip() and not COUNTED_KIND_BEFORE.search(
                    self.text[:heads[-1].start]):
                continue  # a bare 'X：' is a label; '两种类型的X：', '典型的X实现：' announce its kinds
            if (heads[-1].start == 0 or SENTENCE_LEAD.match(self.text[:heads[-1].start])) and not COUNTED_KIND_BEFORE.search(
                    self.text[:heads[-1].start]):
                continue  # a line label ('**LoRA 方法**: …') names the line's topic, not a category
            if "→" in self.text[colon.end():] or "->" in self.text[colon.end():]:
                continue  # a sequence of stages, not a list of kinds
            members = self.right_group(colon.end(), 2)
            if len(members) >= 2:
                readings += [Reading(m, heads[-1].concept, R.IS_A, 0.6, "cue:类别：成员") for m in members
                             if m != heads[-1].concept]
        return readings

    def _in_between(self) -> list[Reading]:
        """'Beam Search 在贪心搜索和穷举搜索之间取得折中', 'a trade-off between A and B': the subject is
        weighed against both ends."""
        match = IN_BETWEEN.search(self.text)
        if not match:
            return []
        start = match.start(1) if match.group(1) is not None else match.start(2)
        ends = self.right_group(start, 1)
        if len(ends) < 2:
            return []
        # The one weighed is named right before, else it is what the sentence (or its section) is about.
        subjects = [s for s in (self.left_group(match.start(), 2) or self._subject_or_none()) if s not in ends]
        return [Reading(s, e, R.COMPARED_WITH, 0.6, "cue:在…之间", e) for s in subjects[-1:] for e in ends]

    def _set_against(self) -> list[Reading]:
        """'与传统的 PTQ 不同，QAT 在训练中模拟量化': the subject of the main clause is compared with the one
        it is set against, which is the reference."""
        match = SET_AGAINST.search(self.text)
        if not match:
            return []
        others = [m.concept for m in self.mentions if match.start(1) <= m.start and m.end <= match.end(1)]
        after = [m for m in self.mentions if m.start >= match.end()]
        if not others or not after or self.text[match.end():after[0].start].strip(" *_") or MODIFIES_AFTER.match(
                self.text, after[0].end):
            return []  # "与 X 类似，归一化后的数据…": the name only describes the subject
        return [Reading(after[0].concept, o, R.COMPARED_WITH, 0.6, "cue:与…不同", o) for o in others[:1]
                if o != after[0].concept]

    def _inspired(self) -> list[Reading]:
        """'受生物神经元的启发，感知机…': the subject of the main clause builds on the inspiration."""
        match = INSPIRED.search(self.text)
        if not match:
            return []
        sources = [m.concept for m in self.mentions if match.start(1) <= m.start and m.end <= match.end(1)]
        after = [m for m in self.mentions if m.start >= match.end()]
        if not sources or not after or self.text[match.end():after[0].start].strip():
            return []
        return [Reading(after[0].concept, s, R.USES, 0.6, "cue:受…启发") for s in sources[-1:]]

    def _from_to(self, cues: list[Cue]) -> list[Reading]:
        """'从 RNN 到 LSTM 有哪些改进': the later one improves on the earlier one."""
        match = FROM_TO_IMPROVED.search(self.text)
        if not match:
            return []
        before = [m for m in self.mentions if match.start(1) <= m.start < match.end(1)]
        after = [m for m in self.mentions if match.start(2) <= m.start < match.end(2)]
        if not before or not after:
            return []
        return [Reading(after[0].concept, before[0].concept, R.EXTENDS, 0.65, "cue:从…到…改进")]

    def _bracketed_members(self) -> list[Reading]:
        """'归一化方法(LayerNorm、RMSNorm)': a category followed by a bracketed list of two or more members."""
        readings = []
        for match in MEMBER_LIST.finditer(self.text):
            inside = [m for m in self.mentions if match.start(1) <= m.start and m.end <= match.end(1)]
            heads = [m for m in self.mentions if m.end <= match.start() and not self.text[m.end:match.start()].strip()]
            if len(inside) < 2 or not heads:
                continue
            gaps = [self.text[a.end:b.start] for a, b in pairwise(inside)]
            edges = self.text[match.start(1):inside[0].start] + self.text[inside[-1].end:match.end(1)]
            if not all(MEMBER_SEPARATORS.match(g) and g.strip() for g in gaps) or not MEMBER_TAIL.match(edges):
                continue
            if all(self.kind_of(m.concept) is None for m in inside):
                continue  # "Embedding (OpenAI/BGE)": unknown names in brackets are as often vendors as kinds
            head = heads[-1].concept
            readings += [Reading(m.concept, head, R.IS_A, 0.6, "bracketed-members") for m in inside if m.concept != head]
        return readings
