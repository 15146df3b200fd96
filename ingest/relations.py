"""Typed relations read from one sentence: which concept stands on which side of a cue phrase."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from itertools import combinations, pairwise
from operator import attrgetter
from typing import NamedTuple

from graph.models import RelationType as R
from ingest.cues import (
    CATEGORY_KINDS,
    COMPONENT_KINDS,
    COMPOSITE_KINDS,
    COORDINATORS,
    PROBLEM_KIND,
    PRONOUNS,
    CueSpec,
)

_CLAUSE_BREAK = re.compile(r"[,，。;；:：!?！？\n]")
_SOFT_GAP = re.compile(r"^[\s的等们都也还主要中里上之所被已经均则即就是为了在一些种个类*_\"“”'‘’(（]*$|^\s*(?:techniques|"
                       r"methods|models|algorithms|approaches|frameworks|libraries|tools|strategies|architectures|"
                       r"formats|optimizers|variants|datasets|mechanisms)?\s*,?\s*$")
_PASSIVE_BEFORE = re.compile(r"(被|由|是|主要是|主要由|所)\s*$")
_NOT_EXAMPLE_AFTER_RU = ("何", "果", "下", "此", "同", "今", "实", "是")
_IMPROVE_AFTER = re.compile(r"^\s*(改进|扩展|拓展|改良|优化)")
_CLAUSE_END = re.compile(r"^[\s*_]*(是什么|有哪些|有什么|分别是什么|如何|怎么样)?[\s*_]*([,，。;；:：!?！？]|$)")
_QUESTION_LEAD = re.compile(r"^[\s*_#\-·●•0-9.、:：QqAa]*(为什么要|为什么|为何|如何|怎么|怎样|何时|什么时候|是否|能否)"
                            r"\s*([\u4e00-\u9fff]{0,6}?)(要|会|需要|都)?\s*$")
_NEGATED = re.compile(r"(不|没|没有|无需|无须|不再|不必|未|not|n't|never|without)\s*$", re.IGNORECASE)
_SENTENCE_LEAD = re.compile(r"^[\s*_#\-·●•0-9.、]*$")
_MEMBER_LIST = re.compile(r"[(（]([^()（）]{2,80})[)）]")
_MEMBER_SEPARATORS = re.compile(r"^[\s、,，/和与及或]*$")
_MEMBER_TAIL = re.compile(r"^[\s、,，等etc.]*$")


BY_START = attrgetter("start")  # sort key for mentions and cues: C-level, unlike a lambda


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


_OWN_SUBJECT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,}\s*(?:又|也|则|就|都)?是")
_READER_SUBJECT = re.compile(r"(?:你|我们|我|大家)[^，,。；;]{0,4}$")
_PROPERTY_AFTER = re.compile(r"\s*的[^，,。；;]{0,6}?(?:特性|特点|性质|假设|规律)")
_CONTRASTIVE_AFTER = re.compile(r"\s*(?:训练|学习|损失|loss|样本)", re.IGNORECASE)
_GENERIC_HEAD_BEFORE = re.compile(r"\s*(?:模型|架构|算法|网络|框架|方法)\s*$")
# A conjunction (和/与/跟/同/than), optionally with "traditional/standard", right before a mention.
_REFERENCE_BEFORE = re.compile(r"(?:和|与|跟|同|than)\s*(?:传统的?|标准的?|经典的?|普通的?|原始的?|the\s+)?\s*$",
                               re.IGNORECASE)
_LABEL_COLON = re.compile(r"^[*_\s]*[:：]")
_FROM_TO_IMPROVED = re.compile(r"从\s*(\S+?)\s*到\s*(\S+?)\s*(?:做了|有|的)?.{0,6}(改进|演进|发展|进化)")
_MADE_OF_AFTER = re.compile(r"^[^,，。;；]{0,6}?(组成|构成)")
_TOPIC_COMPARISONS = frozenset({"比", "相比", "相比于", "相较于", "相较", "优于", "好于", "劣于", "差于", "相对于",
                                "不同于", "compared with", "compared to", "than", "better than", "outperforms",
                                "unlike"})
_DISCOURSE_LEAD = re.compile(r"^(?:其中|而|此外|另外|同时|首先|其次|最后|因此|所以|总之|总的来说|通常|一般来说|"
                             r"In addition|Also|However|Moreover)[,，\s]*")
_PREPOSITION_BEFORE = re.compile(r"(?:对|对于|在|给|为|把|将|从|向|与|和|跟|用于|针对)\s*(?:每一个|每个|所有|这些|各个|一些|整个)?\s*$|"
                                 r"\b(?:across|on|in|for|with|to|of|from|into|over|by|at)\s+(?:the\s+|a\s+|an\s+|"
                                 r"multiple\s+|many\s+|several\s+|all\s+)?$", re.IGNORECASE)
_ADVERBIAL_GAP = re.compile(r"(?:时|中|后|里|之后|之前|期间)")
_NOT_SUBJECT_AFTER = re.compile(r"\s*(?:的|和|与|及|、|,|，|或|中|里|之)")
_NOUN_PHRASE_END = re.compile(r"[\"“”'‘’「」\s]*(?:问题|现象)?\s*(?:[,，。;；:：!?！？、和与及或]|$)")
_POSSESSIVE = re.compile(r"\s*的\s*[\"“”'‘’「」]*\s*")
_WEAK_SOLVES = frozenset({"减少", "降低", "减少了", "降低了", "reduces", "reduce"})
_PROBLEM_AFTER = re.compile(r"[\"“”'‘’\s]*(?:的)?\s*(?:问题|现象|风险|problem|issue)")
_STEPS_AFTER = re.compile(r"^[^，,。;；]{0,16}?(?:个)?(?:步骤|阶段|部分|环节|模块|组件|steps|stages|parts)")
_PART_OF_CATEGORY = re.compile(r"(?:技术|方法|算法|模型|领域)?中的?(?:一个|一种|一项)?(?:重要|关键|核心|基本)?的?"
                               r"(?:概念|组件|部分|步骤|环节|模块|组成部分)")
_PRONOUN_LEAD = re.compile(r"^[\s*_\-·●•0-9.、]*(?:它|其|该方法|该算法|该模型|这种方法|这种算法|这个方法|此方法)")
_RELATIVE_OBJECT = re.compile(r"\s*[\u4e00-\u9fff]{1,4}的(?:模型|方法|算法|网络|系统|框架)")
_LIKENESS = re.compile(r"不同|相同|一致|类似|相似|不一样|一样|差异|区别|similar|different|differ|the same")
_VERB_COORDINATION = re.compile(r"\s*(?:和|与|或|并)\s*[\u4e00-\u9fff]{1,2}(?!的)")
_PARENTHETICAL = re.compile(r"\s*[(（][^()（）]{0,40}[)）]\s*")
_COLON_LIST_HEAD = re.compile(r"\s*(?:techniques|methods|strategies|types|kinds|approaches|algorithms|models|"
                              r"方法|技术|策略|类型|算法|模型)\s*[:：]\s*$", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[\s*_\-·●•0-9.、]*[^:：,，。;；]{1,30}?[:：]")
_LEAD_FILLER = " *_-·●•0123456789.、)）"
_VERB_DE = re.compile(r"\s*[\u4e00-\u9fff]{1,4}的\s*")
_PROBLEM_END = re.compile(r"[\"“”'‘’\s]*(?:的)?\s*(?:问题|现象|风险|困难|瓶颈|problem|issue)?\s*"
                          r"(?:[,，。;；:：!?！？、和与及或并]|以及|而|$)")
_SEQUENCE_BEFORE = re.compile(r"(?:再|然后|之后|接着|随后|最后|then)\s*$")
_LISTED_BEFORE = re.compile(r"(?:等|等等|这些|这几种|these|both|all)\s*(?:都|均|也都)?\s*$|(?:都|均)\s*$")
_INSPIRED = re.compile(r"(?:受到?|借鉴了?)(.{1,30}?)(?:的)?(?:启发|思想)\s*[,，]\s*|[Ii]nspired by (.{1,40}?),\s*")
_AGENT_AFTER = re.compile(r"^\s*(?:函数|模型|算法)?\s*(?:来)?(?:控制|决定|计算|实现|完成|提供|生成|驱动)")
_RELATIVE_AFTER = re.compile(r"\s*(?:了)?\s*的")
_PASSIVE_NEAR = re.compile(r"被[^，,。;；]{0,4}$")
_COPULA = re.compile(r"(?<![但还或于只总要可凡否不])(?:也|都|就|则|即|本质上)?是(?![否不])")
_CATEGORY_MARK = re.compile(r"一种|一类|一个|一项|一款|一系列|之一|^\s*(?:a|an)\s")
# After the category may come a word that only says what sort of thing it is ('高效微调技术', 'LoRA methods').
_CATEGORY_TAIL = re.compile(r"[\s*_]*(?:技术|方法|算法|模型|框架|机制|策略|方案|工具|techniques?|methods?|algorithms?)?"
                            r"\s*(?:之一)?[\s*_.。]*")
_BARE_SUBJECT = re.compile(r"[\s*_#\-·●•0-9.、]*(?:它|其|这|该方法|该算法|该模型|这种方法|这)?[\s*_]*")


class Reading(NamedTuple):
    """A relation read from the sentence, with the rule that read it."""

    source: str
    target: str
    type: R
    confidence: float
    rule: str
    first: str | None = None


KindOf = Callable[[str], str | None]


class SentenceReader:
    """Applies the cue rules to one sentence; `subject` is the topic of the surrounding section or lead."""

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
        """In '**SentencePiece**: BPE的改进版' the line's own label is what the rest talks about."""
        if not self.mentions:
            return None
        first = self.mentions[0]
        lead = self.text[:first.start].strip().lstrip("-*·●•0123456789.、)） ")
        return first.concept if not lead and _LABEL_COLON.match(self.text[first.end:]) else None

    # ---- groups of coordinated concepts on each side of a cue ----
    def _is_coordination(self, gap: str) -> bool:
        stripped = _PARENTHETICAL.sub("", gap).strip().strip("()（）*")  # "data parallel (batch distribution), …"
        if stripped.startswith((",", "，")) and stripped[1:].strip() in COORDINATORS:
            return True  # "DPO, IPO, and KTO": a serial comma before the last member
        return stripped == "" or stripped in COORDINATORS or all(ch in "和与及、,/或跟&→+()（） " for ch in stripped)

    def _pronoun_before(self, position: int) -> list[str]:
        """Concepts a pronoun just before `position` stands for (this sentence first, then the previous one)."""
        head = self.text[:position].rstrip().rstrip("和与及跟、").rstrip()
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
                return list(self.previous) or ([self.subject] if self.subject else [])
        return []

    def _group_ending_at(self, earlier: list[Mention]) -> list[str]:
        group = [earlier[-1]]
        for mention in reversed(earlier[:-1]):
            if not self._is_coordination(self.text[mention.end:group[-1].start]):
                break
            group.append(mention)
        return _unique(m.concept for m in reversed(group))

    def left_group(self, position: int, max_gap: int, cross_clause: bool = False) -> list[str]:
        before = [m for m in self.mentions if m.end <= position]
        pronoun = self._pronoun_before(position)
        if pronoun:
            return pronoun
        if not before:
            return []
        gap = self.text[before[-1].end:position]
        if len(gap.strip()) > max_gap or (not cross_clause and _CLAUSE_BREAK.search(gap)):
            return []
        if "基础上" in gap:
            # "A 在 B 的基础上使用 C": the one who uses C is A, not B.
            return self.left_group(self._first_start([before[-1].concept], position), 3)
        group = [before[-1]]
        for mention in reversed(before[:-1]):
            between = self.text[mention.end:group[-1].start]
            if self._is_coordination(between) and self._ends_clause(group[-1], mention):
                break
            if not self._is_coordination(between):
                pronouns = self._pronoun_before(group[-1].start) if self._is_coordination(
                    between[-1:]) else []
                return _unique([*pronouns, *(m.concept for m in reversed(group))])
            group.append(mention)
        names = [m.concept for m in reversed(group)]
        first_start = group[-1].start
        lead = self.text[:first_start].rstrip()
        if lead and lead[-1] in "和与及、":
            names = [*self._pronoun_before(len(lead) - 1), *names]
        return _unique(names)

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
                return _unique([*referents, *self.right_group(start + len(pronoun), 4)])
        if not after:
            return []
        gap = self.text[position:after[0].start]
        if len(gap.strip()) > max_gap or (not cross_clause and _CLAUSE_BREAK.search(gap)):
            return []
        if _NEGATED.search(gap):
            return []  # "采用不剪枝的决策树": what follows a negation is not used
        while (len(after) > 1 and _POSSESSIVE.fullmatch(self.text[after[0].end:after[1].start])
               and _NOUN_PHRASE_END.match(self.text, after[1].end)):
            after = after[1:]  # "避免ReLU函数的“神经元死亡”问题": the head of "A 的 B" is B (not in "PPO 的强化学习步骤")
        group = [after[0]]
        for mention in after[1:]:
            if not self._is_coordination(self.text[group[-1].end:mention.start]) or self._starts_clause(mention):
                break
            group.append(mention)
        return _unique(m.concept for m in group)

    def _ends_clause(self, mention: Mention, earlier: Mention) -> bool:
        """'BERT 用 WordPiece,GPT 用 BPE': the name after an earlier cue closes that clause; it is not a subject."""
        return any(0 <= earlier.start - cue.end <= 2 for cue in self.cues) and mention.start - earlier.end <= 2

    def _starts_clause(self, mention: Mention) -> bool:
        """'BERT 用 WordPiece,GPT 用 BPE': a name right before a cue is the next clause's subject, not a member."""
        return any(0 <= cue.start - mention.end <= 2 for cue in self.cues)

    # ---- rules ----
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
        if _LIKENESS.search(text):
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

    def _copula(self) -> list[Reading]:
        """'Sigmoid函数是最早被广泛使用的激活函数之一', 'Softmax是一种常用的激活函数': the subject is a kind of
        the noun phrase that ends the clause. A marker (一种, 之一 ...) must say it is a kind: 'X 是 Y' alone may
        be two names of one thing."""
        readings = []
        for match in _COPULA.finditer(self.text):
            clause_end = _CLAUSE_BREAK.search(self.text, match.end())
            end = clause_end.start() if clause_end else len(self.text)
            objects = [m for m in self.mentions if match.end() <= m.start and m.end <= end]
            if not objects:
                continue
            if _PART_OF_CATEGORY.fullmatch(self.text[objects[0].end:end].rstrip("。. ")):
                # "量化粒度是量化技术中的一个重要概念": a notion inside a larger topic is part of it.
                readings += [Reading(s, objects[0].concept, R.PART_OF, 0.65, "copula:是…中的")
                             for s in self._copula_subjects(match.start()) if s != objects[0].concept]
                continue
            reversed_kind = self._reversed_copula(match.start(), objects)
            if reversed_kind:
                readings += reversed_kind
                continue
            if not _CATEGORY_TAIL.fullmatch(self.text[objects[-1].end:end]):
                continue
            last = objects[-1]
            subjects = self._copula_subjects(match.start())
            # "P-Tuning v2、LoRA等都是…高效微调技术": members listed before 都是 belong to the category they share.
            listed = len(subjects) >= 2 and _LISTED_BEFORE.search(self.text[:match.start()])
            if not (_CATEGORY_MARK.search(self.text[match.end():end]) or listed):
                continue
            category = last.concept
            readings += [Reading(s, category, R.IS_A, 0.7, "copula:是") for s in subjects if s != category]
        return readings

    def _reversed_copula(self, position: int, objects: list[Mention]) -> list[Reading]:
        """'一种非常流行的融合是 FlashAttention': the kind comes first, introduced by 一种, and the name after 是."""
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(self.text, 0, position)), default=0)
        before = self.text[clause_start:position]
        if not re.match(r"\s*(?:其中)?\s*(?:一种|一类|一个)", before) or len(objects) != 1:
            return []
        kinds = [m for m in self.mentions if clause_start <= m.start and m.end <= position]
        if not kinds or not _CATEGORY_TAIL.fullmatch(self.text[kinds[-1].end:position]):
            return []
        return [Reading(objects[0].concept, kinds[-1].concept, R.IS_A, 0.65, "copula:一种…是")]

    def _paired_subject_likeness(self) -> list[Reading]:
        """'奖励模型和基础模型在训练过程中可以是一致的，也可以是不同的': two concepts that open the sentence as
        its joint subject, and a predicate of likeness or difference, compare them."""
        if len(self.mentions) < 2 or not _SENTENCE_LEAD.match(self.text[:self.mentions[0].start]):
            return []
        first, second = self.mentions[0], self.mentions[1]
        if not re.fullmatch(r"\s*(?:和|与|跟|同|及|and)\s*", self.text[first.end:second.start]):
            return []
        clause = _CLAUSE_BREAK.search(self.text, second.end)
        rest = self.text[second.end:clause.start() if clause else len(self.text)]
        if not _LIKENESS.search(rest) or any(second.end <= m.start < second.end + len(rest) for m in self.mentions):
            return []
        return [Reading(first.concept, second.concept, R.COMPARED_WITH, 0.6, "cue:A和B…不同")]

    def _colon_list(self) -> list[Reading]:
        """'Combine different parallelization strategies: data parallel (…), pipeline parallel (…), and tensor
        parallel': a category right before a colon, and two or more coordinated names after it, are its kinds."""
        readings = []
        for colon in re.finditer(r"[:：]", self.text):
            heads = [m for m in self.mentions if m.end <= colon.start()]
            if not heads or not _COLON_LIST_HEAD.fullmatch(self.text[heads[-1].end:colon.end()]):
                continue
            if heads[-1].start == 0 or _SENTENCE_LEAD.match(self.text[:heads[-1].start]):
                continue  # a line label ('**LoRA 方法**: …') names the line's topic, not a category
            if "→" in self.text[colon.end():] or "->" in self.text[colon.end():]:
                continue  # a sequence of stages, not a list of kinds
            members = self.right_group(colon.end(), 2)
            if len(members) >= 2:
                readings += [Reading(m, heads[-1].concept, R.IS_A, 0.6, "cue:类别：成员") for m in members
                             if m != heads[-1].concept]
        return readings

    def _inspired(self) -> list[Reading]:
        """'受操作系统分页的启发，PagedAttention 算法…': the subject of the main clause builds on the inspiration."""
        match = _INSPIRED.search(self.text)
        if not match:
            return []
        sources = [m.concept for m in self.mentions if match.start(1) <= m.start and m.end <= match.end(1)]
        after = [m for m in self.mentions if m.start >= match.end()]
        if not sources or not after or self.text[match.end():after[0].start].strip():
            return []
        return [Reading(after[0].concept, s, R.USES, 0.6, "cue:受…启发") for s in sources[-1:]]

    def _copula_subjects(self, position: int) -> list[str]:
        """What the clause before 是 names: its concepts, else the topic when the clause says only 'it'."""
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(self.text, 0, position)), default=0)
        before = self.text[clause_start:position]
        group = self.left_group(position, 4)
        if group and all(clause_start <= m.start for m in self.mentions if m.concept in group):
            return group
        if _BARE_SUBJECT.fullmatch(before) and (self.head or self.subject_is_near):
            return self._subject_or_none()
        return []

    def _from_to(self, cues: list[Cue]) -> list[Reading]:
        """'从 SGD 到 Adam 做了哪些改进': the later one improves on the earlier one."""
        match = _FROM_TO_IMPROVED.search(self.text)
        if not match:
            return []
        before = [m for m in self.mentions if match.start(1) <= m.start < match.end(1)]
        after = [m for m in self.mentions if match.start(2) <= m.start < match.end(2)]
        if not before or not after:
            return []
        return [Reading(after[0].concept, before[0].concept, R.EXTENDS, 0.65, "cue:从…到…改进")]

    def _bracketed_members(self) -> list[Reading]:
        """'相对位置编码(ROPE、ALiBi)': a category followed by a bracketed list of two or more members."""
        readings = []
        for match in _MEMBER_LIST.finditer(self.text):
            inside = [m for m in self.mentions if match.start(1) <= m.start and m.end <= match.end(1)]
            heads = [m for m in self.mentions if m.end <= match.start() and not self.text[m.end:match.start()].strip()]
            if len(inside) < 2 or not heads:
                continue
            gaps = [self.text[a.end:b.start] for a, b in pairwise(inside)]
            edges = self.text[match.start(1):inside[0].start] + self.text[inside[-1].end:match.end(1)]
            if not all(_MEMBER_SEPARATORS.match(g) and g.strip() for g in gaps) or not _MEMBER_TAIL.match(edges):
                continue
            if all(self.kind_of(m.concept) is None for m in inside):
                continue  # "Embedding (OpenAI/BGE)": unknown names in brackets are as often vendors as kinds
            head = heads[-1].concept
            readings += [Reading(m.concept, head, R.IS_A, 0.6, "bracketed-members") for m in inside if m.concept != head]
        return readings

    def _within(self, cue: Cue) -> list[Reading]:
        """'PPO中的KL散度惩罚项', 'Transformer 模型中的自注意力': a method or model uses the component named
        inside it (both kinds must fit); a generic head noun may stand between the name and '中的'."""
        head_noun = _GENERIC_HEAD_BEFORE.search(self.text[:cue.start])
        end = head_noun.start() if head_noun else cue.start
        # Kinds come from the glossary; a name found in the notes has none, and the sentence alone decides.
        wholes = [w for w in self.left_group(end, 0) if self.kind_of(w) in (*COMPOSITE_KINDS, None)]
        parts = [p for p in self.right_group(cue.end, cue.spec.max_gap) if self.kind_of(p) in (*COMPONENT_KINDS, None)]
        return self._pairs(wholes, parts, R.USES, cue.spec.confidence, cue)

    def _colon_members(self, position: int) -> list[str]:
        """The coordinated concepts right after the next colon in the clause ('组成：智能体和环境')."""
        colon = re.compile(r"[^，,。;；]{0,12}?[:：]").match(self.text, position)
        return self.right_group(colon.end(), 2) if colon else []

    def _used_for(self, cue: Cue) -> list[Reading]:
        """'Softmax函数通常用于多分类问题中的输出层': the task or model after the cue uses the subject."""
        if _NEGATED.search(self.text[:cue.start]):
            return []
        users = self.right_group(cue.end, cue.spec.max_gap)
        if users and re.match(r"\s*的", self._after_group(users, cue.end)):
            return []  # "用于 FFN 的并行 Adapter": the phrase describes what follows, it is no user
        used = self.left_group(cue.start, 6) or ([self.topic] if self.topic else [])
        return self._pairs(users, used, R.USES, cue.spec.confidence, cue)

    def _swap(self, cue: Cue) -> list[Reading]:
        """'将 LayerNorm 换为 BatchNorm': the second takes the place of the first."""
        replaced = self.left_group(cue.start, cue.spec.max_gap)
        replacing = self.right_group(cue.end, cue.spec.max_gap)
        return self._pairs(replacing, replaced, R.REPLACES, cue.spec.confidence, cue)

    def _alternative(self, cue: Cue) -> list[Reading]:
        """'RLHF 很复杂。出现了一些替代方案，例如 DPO': DPO replaces RLHF."""
        members = self.right_group(cue.end, 8, cross_clause=True)
        earlier = [m for m in self.mentions if m.end <= cue.start]
        replaced = self._group_ending_at(earlier) if earlier else list(self.previous)
        return self._pairs(members, [r for r in replaced if r not in members], R.REPLACES, cue.spec.confidence, cue)

    def _pairs(self, sources: list[str], targets: list[str], relation: R, confidence: float,
               cue: Cue) -> list[Reading]:
        rule = f"cue:{cue.phrase}"
        return [Reading(s, t, relation, confidence, rule) for s in sources for t in targets if s != t]

    def _clause_subject(self, position: int) -> str | None:
        """'RRHF 不需要强化学习，可以利用…': a clause without a subject continues the subject of the clause before
        it in the same sentence (a concept that opens that clause)."""
        starts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(self.text, 0, position))]
        for start in reversed(starts[:-1]):
            clause = self.text[start:position]
            lead = len(clause) - len(_DISCOURSE_LEAD.sub("", clause.lstrip(_LEAD_FILLER)))
            opener = next((m for m in self.mentions if m.start == start + lead), None)
            if opener and not _NOT_SUBJECT_AFTER.match(self.text, opener.end):
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
        label = _LABEL_LINE.match(self.text)
        return bool(label) and bool(self.text[label.end():].strip(" *_\n")) and any(
            m.end <= label.end() for m in self.mentions)

    @cached_property
    def topic(self) -> str | None:
        """'Swish函数在输入大于0时…，这样可以避免…': a concept that opens the sentence as its subject is what its
        later clauses talk about, before any heading's topic."""
        if not self.mentions:
            return None
        first = self.mentions[0]
        lead = _DISCOURSE_LEAD.sub("", self.text[:first.start].strip().lstrip("-*·●•0123456789.、)） "))
        if lead or _NOT_SUBJECT_AFTER.match(self.text, first.end):
            return None
        return first.concept

    def _infix(self, cue: Cue) -> list[Reading]:
        spec = cue.spec
        if _NEGATED.search(self.text[:cue.start]):
            return []
        if _RELATIVE_AFTER.match(self.text, cue.end) or _PASSIVE_NEAR.search(self.text[max(0, cue.start - 6):cue.start]):
            return []  # "被广泛使用的激活函数": the verb describes a noun, it says nothing of the subject
        if _VERB_COORDINATION.match(self.text, cue.end):
            return []  # "扩展和减少 LLM 的内存": the object belongs to the last of the coordinated verbs
        right = self.right_group(cue.end, spec.max_gap)
        left = self.left_group(cue.start, spec.max_gap)
        if left and (_PREPOSITION_BEFORE.search(self.text[:self._first_start(left, cue.start)])
                     or _ADVERBIAL_GAP.search(self._gap_after(left, cue.start))):
            left = []  # "对权重使用…", "在训练深度学习模型时引入…": a place or time, not the user
        relation, confidence = spec.relation, spec.confidence
        if relation is R.USES and left and not right and _PASSIVE_BEFORE.search(
                self.text[:self._first_start(left, cue.start)]):
            things = self.left_group(self._first_start(left, cue.start), 12) or self._subject_or_none()
            things = [t for t in things if t not in left]
            return self._pairs(left, things, R.USES, confidence - 0.05, cue)
        if not right:
            return []
        if not left:
            if spec.max_gap <= 1 and not (self.is_question and _QUESTION_LEAD.match(self.text[:cue.start])) and not (
                    (self.topic or self.head) and not _SEQUENCE_BEFORE.search(self.text[:cue.start])):
                return []  # a bare '用 X' needs the sentence's own subject, not a next step ('再用 DPO')
            if not (self.head or self.topic or self.subject_is_near):
                return []  # a section heading far above is too weak a subject for "使用 X" in running text
            if _READER_SUBJECT.search(self.text[:cue.start]):
                return []  # "假设你采用 precision": the reader, not a concept, does it
            if relation is R.USES and not (self.head or self.topic) and all(self.kind_of(t) is None for t in right):
                return []  # "使用 HuggingFace tokenizers": an unknown tool used by an unstated subject
            chained = self._clause_subject(cue.start)
            left, confidence = ([chained] if chained else self._subject_or_none()), confidence - 0.15
        if relation is R.USES and _RELATIVE_OBJECT.match(self._after_group(right, cue.end)):
            return []  # "使用 MHA 训练的模型": the phrase describes the model after 的, not the subject
        if relation is R.USES and _VERB_DE.match(self._after_group(right, cue.end)):
            # "通过由人类反馈标注的偏好数据": the first name sits in a relative clause; the object follows 的.
            after = [m for m in self.mentions if m.start >= cue.end and m.concept not in right]
            end = max(m.end for m in self.mentions if m.concept in right and m.start >= cue.end)
            nxt = [m for m in after if m.start >= end]
            if not nxt or not _VERB_DE.fullmatch(self.text[end:nxt[0].start]):
                return []
            right = [nxt[0].concept]
        if relation is R.SOLVES and not _PROBLEM_END.match(self._after_group(right, cue.end)) and not all(
                self.kind_of(t) == PROBLEM_KIND for t in right):
            return []  # "解决偏好数据集成本较高的问题": the problem is the cost, not the data
        if cue.phrase == "基于" and _PROPERTY_AFTER.match(self._after_group(right, cue.end)):
            return []  # "基于大模型的内在低秩特性": based on a property the concept has, not on the concept
        if cue.phrase == "基于" and _IMPROVE_AFTER.search(self._after_group(right, cue.end)):
            relation = R.EXTENDS
        if relation is R.SOLVES and any(self.kind_of(t) not in (PROBLEM_KIND, None) for t in right):
            return []
        if cue.phrase in _WEAK_SOLVES and not (all(self.kind_of(t) == PROBLEM_KIND for t in right) or
                                               _PROBLEM_AFTER.match(self._after_group(right, cue.end))):
            return []
        return self._pairs(left, right, relation, confidence, cue)

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
        ends = [m.end for m in self.mentions if m.concept in group and m.start >= position]
        return self.text[max(ends):] if ends else ""

    def _postfix(self, cue: Cue) -> list[Reading]:
        targets = self.left_group(cue.start, 1)
        if not targets:
            return []
        first = self._first_start(targets, cue.start)
        sources = self.left_group(first, 8)
        confidence = cue.spec.confidence
        if not sources:
            before = self.text[:first]
            if _OWN_SUBJECT.search(before) and not _PRONOUN_LEAD.match(before):
                return []  # "全 0 初始化又是…的一种": the sentence names its subject, just not a concept
            sources, confidence = self._subject_or_none(), confidence - 0.15
        return self._pairs(sources, targets, cue.spec.relation, confidence, cue)

    def _compare(self, cue: Cue) -> list[Reading]:
        if cue.phrase == "对比" and _CONTRASTIVE_AFTER.match(self.text[cue.end:]):
            return []  # "对比训练集", "对比学习": contrastive, not a comparison
        if cue.phrase == "比较" and not _CLAUSE_END.match(self.text[cue.end:]) and not any(
                0 <= m.start - cue.end <= 2 for m in self.mentions):
            return []  # "是比较复杂的": 比较 as "rather", not a comparison
        left = self.left_group(cue.start, max(cue.spec.max_gap, 4))
        right = self.right_group(cue.end, cue.spec.max_gap if cue.spec.max_gap < 6 else 12,
                                 cross_clause=cue.phrase in ("相比", "相比于", "相较于", "比较", "对比"))
        if not left and not right and _CLAUSE_END.match(self.text[cue.end:]):
            # "ViT 和 CNN 在图像特征提取上的优劣对比？": a clause-final cue compares the pair the clause opened with.
            left = [c for c in self.left_group(cue.start, 16) if c]
            left = left if len(left) >= 2 else []
        if right and not left and self.topic and self.topic not in right and cue.phrase in _TOPIC_COMPARISONS:
            left = [self.topic]  # "GELU函数…表现出了比ReLU函数更好的性能"
        if left and right:
            pairs = [(a, b) for a in left for b in right]
        elif len(right) == 1 and _SENTENCE_LEAD.match(self.text[:cue.start]) and len(self.mentions) == 1:
            # "**vs 绝对位置编码**" under the RoPE section: the section's topic is the other side.
            pairs = [(s, right[0]) for s in self._subject_or_none()]
        elif right and not left and cue.phrase in _TOPIC_COMPARISONS:
            # "在大部分任务上效果会差于LoRA、Adapter" under BitFit: the other side is the section's topic.
            pairs = [(s, r) for s in self._subject_or_none() if self.subject_is_near or self.head for r in right]
        else:
            group = left or right
            pairs = list(combinations(group, 2))
        return [Reading(a, b, R.COMPARED_WITH, cue.spec.confidence, f"cue:{cue.phrase}", self._reference(a, b))
                for a, b in pairs if a != b]

    def _reference(self, a: str, b: str) -> str | None:
        """In "A 和 B 的区别" / "和传统 B 相比, A" the side right after the conjunction is what A is measured
        against: the reference, met first. None when both or neither side is placed that way."""
        marked = [c for c in (a, b) if any(m.concept == c and _REFERENCE_BEFORE.search(self.text[:m.start])
                                           for m in self.mentions)]
        return marked[0] if len(marked) == 1 else None

    def _between(self, cue: Cue) -> list[Reading]:
        members = self.right_group(cue.end, 3)
        sources = self.left_group(cue.start, 6) or self._subject_or_none()
        # "GQA 介于 MHA 和 MQA 之间": GQA is described by its bounds, which come first.
        return [Reading(s, m, R.COMPARED_WITH, cue.spec.confidence, f"cue:{cue.phrase}", m)
                for s in sources for m in members if s != m]

    def _enumerate(self, cue: Cue) -> list[Reading]:
        if cue.phrase == "如" and self.text[cue.end:cue.end + 1] in _NOT_EXAMPLE_AFTER_RU:
            return []
        members = self.right_group(cue.end, 3)
        opened = max(self.text.rfind("(", 0, cue.start), self.text.rfind("（", 0, cue.start))
        if opened > max(self.text.rfind(")", 0, cue.start), self.text.rfind("）", 0, cue.start)):
            # "optimizer (like 8-bit AdamW), weight decay …": the examples end with the bracket they sit in.
            close = min((i for i in (self.text.find(")", cue.end), self.text.find("）", cue.end)) if i >= 0),
                        default=len(self.text))
            members = [m for m in members if any(x.concept == m and cue.end <= x.start and x.end <= close
                                                 for x in self.mentions)]
        if not members:
            return []
        head_gap_ok = False
        heads = [m for m in self.mentions if m.end <= cue.start]
        if heads and _SOFT_GAP.match(self.text[heads[-1].end:cue.start].replace(",", "").replace("，", "")):
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
        colon = self._colon_members(cue.end) if not parts or cue.phrase == "由" else []
        if colon and cue.phrase == "由":
            # "主要由两部分组成：智能体和环境": the parts follow the colon.
            whole = self.left_group(cue.start, 6) or self._subject_or_none()
            return [Reading(p, w, R.PART_OF, cue.spec.confidence, "cue:由…组成") for p in colon for w in whole
                    if p != w]
        parts = parts or colon
        if not parts:
            return []
        if cue.phrase == "由" and _AGENT_AFTER.match(self._after_group(parts, cue.end)):
            # "输出一个由Sigmoid函数控制的值": what the sentence is about works through that agent.
            users = self._subject_or_none()
            return [Reading(u, p, R.USES, 0.55, "cue:由…控制") for u in users for p in parts if u != p]
        if cue.phrase == "由" and not _MADE_OF_AFTER.match(self._after_group(parts, cue.end)):
            return []
        whole = self.left_group(cue.start, 4)
        if not whole:
            clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(self.text, 0, cue.start)), default=0)
            if not _BARE_SUBJECT.fullmatch(self.text[clause_start:cue.start]):
                return []  # "生成的回复，包括 ChatGPT…": the clause names its own (non-concept) whole
            whole = self._subject_or_none()
        relation = cue.spec.relation
        if relation is R.IS_A and _STEPS_AFTER.match(self._after_group(parts, cue.end)):
            relation = R.PART_OF  # "分为奖励模型训练和近端策略优化两个步骤": steps are parts, not kinds
        if (relation is R.PART_OF and cue.phrase != "由" and whole
                and self.kind_of(whole[0]) in CATEGORY_KINDS - {"architecture"}):
            relation = R.IS_A
        return [Reading(p, w, relation, cue.spec.confidence, f"cue:{cue.phrase}")
                for p in parts for w in whole if p != w]


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    """The items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))


def read_sentence(text: str, mentions: list[Mention], cues: list[Cue], subject: str | None,
                  previous: list[str], kind_of: KindOf, subject_is_near: bool = True) -> list[Reading]:
    """All typed relations the cue rules read from one sentence.

    >>> from ingest.cues import CUES
    >>> ms = [Mention("bert", 0, 4), Mention("wordpiece", 7, 16)]
    >>> [(r.source, r.type.value, r.target) for r in read_sentence(
    ...     "BERT 用 WordPiece", ms, [Cue("用", CUES["用"], 5, 6)], None, [], lambda c: None)]
    [('bert', 'USES', 'wordpiece')]
    """
    if not cues and "从" not in text and "(" not in text and "（" not in text and "是" not in text:
        return []  # no rule reads a sentence without a cue, a bracket, 从 or 是
    return SentenceReader(text, mentions, subject, previous, kind_of, subject_is_near).read(cues)


def cooccurring_pairs(mentions: list[Mention], limit: int = 8) -> list[tuple[str, str]]:
    """Unordered concept pairs sharing a sentence (untyped RELATED_TO); crowded sentences give none."""
    concepts = sorted(_unique(m.concept for m in mentions))
    if len(concepts) > limit:
        return []
    return list(combinations(concepts, 2))
