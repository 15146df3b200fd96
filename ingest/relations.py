"""Typed relations read from one sentence: which concept stands on which side of a cue phrase."""

from __future__ import annotations

import re
from itertools import combinations

from graph.models import RelationType as R
from ingest.cues import CATEGORY_KINDS, COMPONENT_KINDS, COMPOSITE_KINDS, PROBLEM_KIND
from ingest.sentence_patterns import (
    ADVERBIAL_GAP,
    AGENT_AFTER,
    BARE_SUBJECT,
    BY_CRITERION,
    CLAUSE_BREAK,
    CLAUSE_END,
    CONDITION_BEFORE,
    CONTRASTIVE_AFTER,
    DEFINING_VERB,
    DISCOURSE_LEAD,
    GENERIC_HEAD_BEFORE,
    IMPROVE_AFTER,
    LIKENESS,
    MADE_OF_AFTER,
    NEGATED,
    NOT_EXAMPLE_AFTER_RU,
    OWN_SUBJECT,
    PASSIVE_BEFORE,
    PASSIVE_NEAR,
    PREPOSITION_BEFORE,
    PROBLEM_AFTER,
    PROBLEM_END,
    PRONOUN_LEAD,
    PRONOUN_WORD,
    PROPERTY_AFTER,
    QUESTION_LEAD,
    READER_SUBJECT,
    REFERENCE_BEFORE,
    RELATIVE_AFTER,
    RELATIVE_OBJECT,
    SENTENCE_LEAD,
    SEQUENCE_BEFORE,
    SHORTCOMING_AFTER,
    SOFT_GAP,
    STEPS_AFTER,
    TOPIC_COMPARISONS,
    VERB_COORDINATION,
    VERB_DE,
    WEAK_SOLVES,
    WORSE_OUTCOME,
)
from ingest.sentence_shapes import SentenceShapes
from ingest.sentence_sides import BY_START, Cue, KindOf, Mention, Reading, unique

__all__ = ["BY_START", "Cue", "KindOf", "Mention", "Reading", "cooccurring_pairs", "read_sentence"]


class SentenceReader(SentenceShapes):
    """Applies the cue rules to one sentence; `subject` is the topic of the surrounding section or lead."""

    def read(self, cues: list[Cue]) -> list[Reading]:
        self.cues = cues
        text = self.text
        # Characters each structural rule needs, checked before any of its pattern runs.
        readings: list[Reading] = self._from_to(cues) if "从" in text else []
        if "(" in text or "（" in text:
            readings += self._bracketed_members()
        if "是" in text:
            readings += self._copula()
        if "启发" in text or "inspired" in text:
            readings += self._inspired()
        if ":" in text or "：" in text:
            readings += self._colon_list()
        if "之间" in text or "between" in text:
            readings += self._in_between()
        if "不同" in text or "相比" in text or "类似" in text or "相似" in text or "一样" in text:
            readings += self._set_against()
        if LIKENESS.search(text):
            readings += self._paired_subject_likeness()
        for cue in cues:
            rule = getattr(self, f"_{cue.spec.pattern}")
            readings.extend(rule(cue))
        return [self._with_context(r) for r in readings if r.source != r.target]

    def _with_context(self, reading: Reading) -> Reading:
        """A side the sentence does not name came from around it: the rule says where ('+section topic' for a
        heading or lead line above, '+previous sentence' for a pronoun), so the evidence never overstates."""
        named = {m.concept for m in self.mentions}
        missing = [side for side in (reading.source, reading.target) if side not in named]
        if not missing:
            return reading
        where = "previous sentence" if all(side in self.previous for side in missing) else "section topic"
        return reading._replace(rule=f"{reading.rule}+{where}")

    def _within(self, cue: Cue) -> list[Reading]:
        """'GRPO中的组内基线', 'BERT 模型中的多头注意力': a method or model uses the component named
        inside it (both kinds must fit); a generic head noun may stand between the name and '中的'."""
        head_noun = GENERIC_HEAD_BEFORE.search(self.text[:cue.start])
        end = head_noun.start() if head_noun else cue.start
        # Kinds come from the glossary; a name found in the notes has none, and the sentence alone decides.
        wholes = [w for w in self.left_group(end, 0) if self.kind_of(w) in (*COMPOSITE_KINDS, None)]
        parts = [p for p in self.right_group(cue.end, cue.spec.max_gap) if self.kind_of(p) in (*COMPONENT_KINDS, None)]
        return self._pairs(wholes, parts, R.USES, cue.spec.confidence, cue)

    def _used_for(self, cue: Cue) -> list[Reading]:
        """'Dropout通常用于全连接层的训练': the task or model after the cue uses the subject."""
        if NEGATED.search(self.text[:cue.start]):
            return []
        users = self.right_group(cue.end, cue.spec.max_gap)
        first_after = next((m for m in self.mentions if m.start >= cue.end), None)
        if users and first_after and re.match(r"\s*的", self.text[first_after.end:]):
            return []  # "用于 FFN 的并行 Adapter": the phrase describes what follows, it is no user
        used = self.left_group(cue.start, 6) or ([self.topic] if self.topic else [])
        return self._pairs(users, used, R.USES, cue.spec.confidence, cue)

    def _swap(self, cue: Cue) -> list[Reading]:
        """'将 LayerNorm 换为 BatchNorm': the second takes the place of the first."""
        replaced = self.left_group(cue.start, cue.spec.max_gap)
        replacing = self.right_group(cue.end, cue.spec.max_gap)
        after = self._after_group(replacing, cue.end) if replacing else ""
        if re.match(r"\s*(?:之?后|以后|的话|时)", after) and WORSE_OUTCOME.search(after):
            # "将 A 换为 B 后，训练会不稳定": a trial swap that went worse weighs the two; B did not take A's place.
            return [Reading(b, a, R.COMPARED_WITH, cue.spec.confidence, f"cue:{cue.phrase}…后", a)
                    for b in replacing for a in replaced if a != b]
        return self._pairs(replacing, replaced, R.REPLACES, cue.spec.confidence, cue)

    def _alternative(self, cue: Cue) -> list[Reading]:
        """'GAN 难以训练。出现了一些替代方案，例如 VAE': VAE replaces GAN."""
        members = self.right_group(cue.end, 8, cross_clause=True)
        earlier = [m for m in self.mentions if m.end <= cue.start]
        replaced = self._group_ending_at(earlier) if earlier else list(self.previous)
        return self._pairs(members, [r for r in replaced if r not in members], R.REPLACES, cue.spec.confidence, cue)

    def _infix(self, cue: Cue) -> list[Reading]:
        spec = cue.spec
        if NEGATED.search(self.text[:cue.start]):
            return []
        if spec.relation is not R.IS_A and (RELATIVE_AFTER.match(self.text, cue.end) or
                                            PASSIVE_NEAR.search(self.text[max(0, cue.start - 6):cue.start])):
            return []  # "被普遍采用的归一化层": the verb describes a noun, it says nothing of the subject
        if VERB_COORDINATION.match(self.text, cue.end):
            return []  # "扩展和减少 LLM 的内存": the object belongs to the last of the coordinated verbs
        right = self.right_group(cue.end, spec.max_gap)
        left = self.left_group(cue.start, spec.max_gap)
        if left and (PREPOSITION_BEFORE.search(self.text[:self._first_start(left, cue.start)])
                     or ADVERBIAL_GAP.search(self._gap_after(left, cue.start))) and not self._named_container(left, cue):
            left = []  # "对激活值使用…", "在推理阶段引入…": a place or time, not the user
        relation, confidence = spec.relation, spec.confidence
        if relation is R.USES and left and not right and PASSIVE_BEFORE.search(
                self.text[:self._first_start(left, cue.start)]):
            things = self.left_group(self._first_start(left, cue.start), 12) or self._subject_or_none()
            things = [t for t in things if t not in left]
            return self._pairs(left, things, R.USES, confidence - 0.05, cue)
        if not right:
            return []
        if not left:
            if spec.max_gap <= 1 and not (self.is_question and QUESTION_LEAD.match(self.text[:cue.start])) and not (
                    (self.topic or self.head) and not SEQUENCE_BEFORE.search(self.text[:cue.start])):
                return []  # a bare '用 X' needs the sentence's own subject, not a next step ('再用 DPO')
            if not (self.head or self.topic or self.subject_is_near):
                return []  # a section heading far above is too weak a subject for "使用 X" in running text
            if CONDITION_BEFORE.search(self.text[:cue.start]):
                return []  # "在使用 X 训练时…", "When using X, …": a circumstance, nobody is said to use X
            if READER_SUBJECT.search(self.text[:cue.start]):
                return []  # "假设你采用 precision": the reader, not a concept, does it
            if relation is R.USES and not (self.head or self.topic or PRONOUN_LEAD.match(self.text)) and all(
                    self.kind_of(t) is None for t in right):
                return []  # "使用 HuggingFace tokenizers": an unknown tool used by an unstated subject ('该方法…' states it)
            chained = self._clause_subject(cue.start)
            left, confidence = ([chained] if chained else self._subject_or_none()), confidence - 0.15
        if relation is R.USES and RELATIVE_OBJECT.match(self._after_group(right, cue.end)):
            return []  # "使用 Adam 优化的网络": the phrase describes the model after 的, not the subject
        if relation is R.USES and VERB_DE.match(self._after_group(right, cue.end)):
            # "通过由教师模型生成的软标签": the first name sits in a relative clause; the object follows 的.
            after = [m for m in self.mentions if m.start >= cue.end and m.concept not in right]
            end = max(m.end for m in self.mentions if m.concept in right and m.start >= cue.end)
            nxt = [m for m in after if m.start >= end]
            if not nxt or not VERB_DE.fullmatch(self.text[end:nxt[0].start]):
                return []
            right = [nxt[0].concept]
        if relation is R.SOLVES and not PROBLEM_END.match(self._after_group(right, cue.end)) and not all(
                self.kind_of(t) == PROBLEM_KIND for t in right):
            if SHORTCOMING_AFTER.match(self._after_group(right, cue.end)) and all(
                    self.kind_of(t) != PROBLEM_KIND for t in right) and len(right) == 1:
                # "解决了 RNN 无法并行计算的问题": fixing a shortcoming of a method improves on that method.
                return self._pairs(left, right, R.EXTENDS, confidence - 0.1, cue)
            return []  # "解决标注数据成本较高的问题": the problem is the cost, not the data
        if cue.phrase == "基于" and PROPERTY_AFTER.match(self._after_group(right, cue.end)):
            return []  # "基于注意力矩阵的稀疏特性": based on a property the concept has, not on the concept
        if cue.phrase == "基于" and IMPROVE_AFTER.search(self._after_group(right, cue.end)):
            relation = R.EXTENDS
        if relation is R.SOLVES and any(self.kind_of(t) not in (PROBLEM_KIND, None) for t in right):
            return []
        if cue.phrase in WEAK_SOLVES and not (all(self.kind_of(t) == PROBLEM_KIND for t in right) or
                                               PROBLEM_AFTER.match(self._after_group(right, cue.end))):
            return []
        return self._pairs(left, right, relation, confidence, cue)

    def _named_container(self, left: list[str], cue: Cue) -> bool:
        """'为什么 BERT 中使用 GELU': a named model right before 中 is where, and so who, uses it."""
        if len(left) != 1 or not re.fullmatch(r"\s*[中里]\s*", self._gap_after(left, cue.start)):
            return False
        mention = max((m for m in self.mentions if m.concept == left[0] and m.end <= cue.start), key=BY_START)
        return re.fullmatch(r"[A-Z][\w.+#-]*", self.text[mention.start:mention.end]) is not None and not (
            PREPOSITION_BEFORE.search(self.text[:mention.start]))

    def _postfix(self, cue: Cue) -> list[Reading]:
        targets = self.left_group(cue.start, 1)
        if not targets:
            return []
        first = self._first_start(targets, cue.start)
        sources = self.left_group(first, 8)
        if sources and "的" in self._gap_after(sources, first):
            sources = []  # "一种加入门控信息的LSTM的变体": the name before sits in a phrase describing the target
        confidence = cue.spec.confidence
        if not sources:
            before = self.text[:first]
            if OWN_SUBJECT.search(before) and not PRONOUN_LEAD.match(before):
                return []  # "全 0 初始化又是…的一种": the sentence names its subject, just not a concept
            sources, confidence = self._subject_or_none(), confidence - 0.15
        return self._pairs(sources, targets, cue.spec.relation, confidence, cue)

    def _combination(self, cue: Cue) -> list[Reading]:
        """'MoA 是并行 Adapter 和 LoRA 的组合': what the subject before 是 combines, it uses."""
        members = self.left_group(cue.start, 1)
        taken = re.search(r"(?:将|把)\s*", self.text[:cue.start])
        if not members and taken:
            members = self.right_group(taken.end(), 1)  # "将 A、B 等多种技术结合起来"
        if not members:
            return []
        first = self._first_start(members, cue.start)
        copula = list(DEFINING_VERB.finditer(self.text, 0, first))
        sources = self._copula_subjects(copula[-1].start()) if copula else []
        return self._pairs([s for s in sources if s not in members], members, R.USES, cue.spec.confidence, cue)

    def _compare(self, cue: Cue) -> list[Reading]:
        if cue.phrase == "对比" and CONTRASTIVE_AFTER.match(self.text[cue.end:]):
            return []  # "对比训练集", "对比学习": contrastive, not a comparison
        if cue.phrase == "比较" and not CLAUSE_END.match(self.text[cue.end:]) and not any(
                0 <= m.start - cue.end <= 2 for m in self.mentions):
            return []  # "是比较复杂的": 比较 as "rather", not a comparison
        left = self.left_group(cue.start, max(cue.spec.max_gap, 4))
        right = self.right_group(cue.end, cue.spec.max_gap if cue.spec.max_gap < 6 else 12,
                                 cross_clause=cue.phrase in ("相比", "相比于", "相较于", "比较", "对比"))
        if not left and not right and CLAUSE_END.match(self.text[cue.end:]):
            # "ViT 和 CNN 在图像特征提取上的优劣对比？": a clause-final cue compares the pair the clause opened with.
            left = [c for c in self.left_group(cue.start, 16) if c]
            left = left if len(left) >= 2 else []
        if right and not left and cue.phrase in TOPIC_COMPARISONS:
            # "which makes it more efficient than RL": 'it' in the clause is the other side.
            left = [c for c in self._pronoun_in_clause(cue.start) if c not in right]
        if right and not left and self.topic and self.topic not in right and cue.phrase in TOPIC_COMPARISONS:
            left = [self.topic]  # "RMSNorm…训练速度比LayerNorm更快"
        if left and right:
            pairs = [(a, b) for a in left for b in right]
        elif len(right) == 1 and SENTENCE_LEAD.match(self.text[:cue.start]) and len(self.mentions) == 1:
            # "**vs 绝对位置编码**" under the RoPE section: the section's topic is the other side.
            pairs = [(s, right[0]) for s in self._subject_or_none()]
        elif right and not left and cue.phrase in TOPIC_COMPARISONS:
            # "在长文本上效果差于ALiBi、RoPE" under a section on some method: the other side is the section's topic.
            pairs = [(s, r) for s in self._subject_or_none() if self.subject_is_near or self.head for r in right]
        else:
            group = left or right
            pairs = list(combinations(group, 2))
        return [Reading(a, b, R.COMPARED_WITH, cue.spec.confidence, f"cue:{cue.phrase}", self._reference(a, b))
                for a, b in pairs if a != b]

    def _pronoun_in_clause(self, position: int) -> list[str]:
        """What a pronoun in the clause before `position` stands for: the sentence's earlier concepts, else the
        previous sentence's."""
        clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position)), default=0)
        pronoun = PRONOUN_WORD.search(self.text[clause_start:position])
        if not pronoun:
            return []
        if PRONOUN_WORD.match(self.text.lstrip(" *_-")) or not self.topic:
            return list(self.previous[:1])  # "It doesn't need X, which makes it …": both are the one before
        return [self.topic]  # "LoRA freezes W, which makes it cheaper than …": the sentence's subject

    def _reference(self, a: str, b: str) -> str | None:
        """In "A 和 B 的区别" / "和传统 B 相比, A" the side right after the conjunction is what A is measured
        against: the reference, met first. None when both or neither side is placed that way."""
        marked = [c for c in (a, b) if any(m.concept == c and REFERENCE_BEFORE.search(self.text[:m.start])
                                           for m in self.mentions)]
        return marked[0] if len(marked) == 1 else None

    def _between(self, cue: Cue) -> list[Reading]:
        members = self.right_group(cue.end, 3)
        sources = self.left_group(cue.start, 6) or self._subject_or_none()
        # "GQA 介于 MHA 和 MQA 之间": GQA is described by its bounds, which come first.
        return [Reading(s, m, R.COMPARED_WITH, cue.spec.confidence, f"cue:{cue.phrase}", m)
                for s in sources for m in members if s != m]

    def _enumerate(self, cue: Cue) -> list[Reading]:
        if cue.phrase == "如" and self.text[cue.end:cue.end + 1] in NOT_EXAMPLE_AFTER_RU:
            return []
        members = self.right_group(cue.end, 3)
        opened = max(self.text.rfind("(", 0, cue.start), self.text.rfind("（", 0, cue.start))
        if opened > max(self.text.rfind(")", 0, cue.start), self.text.rfind("）", 0, cue.start)):
            # "scheduler (like cosine decay), dropout …": the examples end with the bracket they sit in.
            close = min((i for i in (self.text.find(")", cue.end), self.text.find("）", cue.end)) if i >= 0),
                        default=len(self.text))
            members = [m for m in members if any(x.concept == m and cue.end <= x.start and x.end <= close
                                                 for x in self.mentions)]
        if not members:
            return []
        head_gap_ok = False
        heads = [m for m in self.mentions if m.end <= cue.start]
        if heads and SOFT_GAP.match(self.text[heads[-1].end:cue.start].replace(",", "").replace("，", "")):
            head_gap_ok = True
        if cue.phrase.startswith(("代表", "典型", "其代表")):
            head = [heads[-1].concept] if head_gap_ok else self._subject_or_none()
        elif head_gap_ok:
            head = [heads[-1].concept]
        else:
            if any(c in self.text[:cue.start] for c in ("比较", "对比", "区别")):
                return [Reading(a, b, R.COMPARED_WITH, 0.6, f"cue:{cue.phrase}")
                        for a, b in combinations(members, 2)]
            return []
        relation = R.IS_A
        if head and self.kind_of(head[0]) not in CATEGORY_KINDS and cue.phrase.startswith(("代表", "典型", "其代表")):
            return [Reading(m, head[0], R.USES, cue.spec.confidence - 0.1, f"cue:{cue.phrase}")
                    for m in members if m != head[0]]
        return self._pairs(members, head, relation, cue.spec.confidence, cue)

    def _contains(self, cue: Cue) -> list[Reading]:
        parts = self.right_group(cue.end, 3)
        if not parts and cue.phrase.endswith("组成部分") and re.match(r"\s*(?:是|有|包括)?\s*[,，:：]", self.text[cue.end:]):
            # "Transformer的主要组成部分，注意力层和前馈层": the parts follow the break.
            parts = self.right_group(self.text.index(next(c for c in self.text[cue.end:] if c in ",，:："),
                                                     cue.end) + 1, 2)
        colon = self._colon_members(cue.end) if not parts or cue.phrase == "由" else []
        if colon and cue.phrase == "由":
            # "主要由两部分组成：编码器和解码器": the parts follow the colon.
            whole = self.left_group(cue.start, 6) or self._subject_or_none()
            return [Reading(p, w, R.PART_OF, cue.spec.confidence, "cue:由…组成") for p in colon for w in whole
                    if p != w]
        parts = parts or colon
        if not parts:
            return []
        if cue.phrase == "由" and AGENT_AFTER.match(self._after_group(parts, cue.end)):
            # "得到一个由Tanh函数决定的门控值": what the sentence is about works through that agent.
            users = self._subject_or_none()
            return [Reading(u, p, R.USES, 0.55, "cue:由…控制") for u in users for p in parts if u != p]
        if cue.phrase == "由" and not MADE_OF_AFTER.match(self._after_group(parts, cue.end)):
            return []
        if VERB_DE.match(self._after_group(parts, cue.end)):
            return []  # "包括预填充时计算的 KV 张量": the name sits in a phrase describing what is included
        whole = self.left_group(cue.start, 4) or self._divided_by_criterion(cue.start)
        if not whole:
            clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, cue.start)), default=0)
            before_break = self.text[:max(clause_start - 1, 0)].rstrip()
            if not BARE_SUBJECT.fullmatch(self.text[clause_start:cue.start]) or (
                    clause_start and before_break and not any(m.end == len(before_break) for m in self.mentions)):
                return []  # "…收集的语料，包括 Wikipedia…": the whole is the noun the clause before ends with
            whole = self._subject_or_none()
        relation = cue.spec.relation
        if relation is R.IS_A and STEPS_AFTER.match(self._after_group(parts, cue.end)):
            relation = R.PART_OF  # "分为数据清洗和模型训练两个步骤": steps are parts, not kinds
        if (relation is R.PART_OF and cue.phrase != "由" and whole
                and self.kind_of(whole[0]) in CATEGORY_KINDS - {"architecture"}):
            relation = R.IS_A
        return [Reading(p, w, relation, cue.spec.confidence, f"cue:{cue.phrase}")
                for p in parts for w in whole if p != w]


    def _divided_by_criterion(self, position: int) -> list[str]:
        """'结构化剪枝又可以按照粒度划分为…': the concept opening the clause is divided, by the criterion after it."""
        clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position)), default=0)
        lead = len(self.text[clause_start:position]) - len(DISCOURSE_LEAD.sub(
            "", self.text[clause_start:position].lstrip(" *_")))
        opener = next((m for m in self.mentions if m.start == clause_start + lead), None)
        if opener is None or not BY_CRITERION.fullmatch(self.text[opener.end:position]):
            return []
        return [opener.concept]


# What a sentence without a cue needs for a shape rule to read it: a bracket, a colon, 从, 是, a pair's bounds,
# or a likeness ('与 X 不同，Y …').
_SHAPE_MARKS = ("从", "(", "（", "是", "之间", "between", ":", "：", "不同", "类似", "相似", "一样")


def read_sentence(text: str, mentions: list[Mention], cues: list[Cue], subject: str | None,
                  previous: list[str], kind_of: KindOf, subject_is_near: bool = True) -> list[Reading]:
    """All typed relations the cue rules read from one sentence.

    >>> from ingest.cues import CUES
    >>> ms = [Mention("bert", 0, 4), Mention("wordpiece", 7, 16)]
    >>> [(r.source, r.type.value, r.target) for r in read_sentence(
    ...     "BERT 用 WordPiece", ms, [Cue("用", CUES["用"], 5, 6)], None, [], lambda c: None)]
    [('bert', 'USES', 'wordpiece')]
    """
    if not cues and not any(mark in text for mark in _SHAPE_MARKS):
        return []  # no rule reads a sentence without a cue or one of the marks a shape rule starts from
    return SentenceReader(text, mentions, subject, previous, kind_of, subject_is_near).read(cues)


def cooccurring_pairs(mentions: list[Mention], limit: int = 8) -> list[tuple[str, str]]:
    """Unordered concept pairs sharing a sentence (untyped RELATED_TO); crowded sentences give none."""
    concepts = sorted(unique(m.concept for m in mentions))
    if len(concepts) > limit:
        return []
    return list(combinations(concepts, 2))
