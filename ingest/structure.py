"""Relations read from document structure: attribute lines, tables, nested lists and question tags."""

from __future__ import annotations

import re
from itertools import combinations

from graph.models import RelationType as R
from ingest.cues import ATTRIBUTE_LABELS, CATEGORY_KINDS
from ingest.relations import KindOf, Mention, Reading
from ingest.sentence_patterns import PREPOSITION_BEFORE, PROBLEM_END

_LABEL = re.compile(r"^\s*[*_]*\s*([^:：*]{1,16}?)\s*[*_]*\s*[:：]\s*")
_ITEM_HEAD_END = re.compile(r"^\s*[*_]*\s*([:：(（\-—]|$)")
MAX_COMPARED_ROWS = 6
# Labels of a list whose items are kinds of the surrounding topic ("**方法**:" under 模型量化).
MEMBER_LABELS = frozenset({"方法", "主要方法", "常见方法", "类型", "种类", "分类", "常见类型", "主要类型", "变体", "变种",
                           "常见变体", "主要变体", "实现方式", "methods", "types", "kinds", "variants"})
_SOLUTION_HEADING = re.compile(r"的?(解决方案|解决方法|解决办法|应对方法|应对策略|处理方法|缓解方法|解决思路)")
_SOLUTION_FIRST_CHARS = re.compile(r"[解应处缓]")  # every word above starts with one: a quick test for most text
_ONLY_COORDINATION = re.compile(r"^[\s*_、,，/和与及或以及and&+。.]*$")
_LABEL_FILLER = re.compile(r"[\s*_:：#\-·●•的]")
_LABEL_END = re.compile(r"^[*_\s]*([:：]|$)")


_VALUE_FILLER = re.compile(r"[\s、,，/和与及或等()（）*_.。;；]+")


def without_mentions(text: str, mentions: list[Mention]) -> str:
    """The text without the mentioned names (offsets relative to `text`)."""
    kept, position = [], 0
    for mention in sorted(mentions, key=lambda m: m.start):
        kept.append(text[position:max(position, mention.start)])
        position = max(position, mention.end)
    return "".join(kept) + text[position:]


def attribute_relations(text: str, mentions: list[Mention], subject: str | None, kind_of: KindOf) -> list[Reading]:
    """'代表模型: BERT、RoBERTa' under the subject Encoder-Only -> BERT IS_A Encoder-Only.

    >>> attribute_relations("代表模型:BERT", [Mention("bert", 5, 9)], "encoder-only", lambda c: "architecture")
    [Reading(source='bert', target='encoder-only', type=<RelationType.IS_A: 'IS_A'>, confidence=0.7, rule='attribute:代表模型', first=None)]
    """
    if subject is None or (":" not in text and "：" not in text):
        return []
    match = _LABEL.match(text)
    if not match:
        return []
    label = match.group(1).strip().lower()
    spec = ATTRIBUTE_LABELS.get(label) or ATTRIBUTE_LABELS.get(label.replace(" ", ""))
    if spec is None:
        return []
    relation, direction = spec
    if len(_VALUE_FILLER.sub("", without_mentions(text[match.end():], [
            Mention(m.concept, m.start - match.end(), m.end - match.end()) for m in mentions if m.start >= match.end()]))) > 8:
        return []  # "正则化：训练时，Dropout 会…": the label heads prose, not a list of values
    values = [m.concept for m in mentions if m.start >= match.end() and m.concept != subject]
    rule = f"attribute:{match.group(1).strip()}"
    readings = []
    for value in dict.fromkeys(values):
        if relation is R.IS_A and kind_of(subject) not in CATEGORY_KINDS:
            readings.append(Reading(value, subject, R.USES, 0.6, rule))
        elif direction == "value->subject":
            readings.append(Reading(value, subject, relation, 0.7, rule))
        else:
            readings.append(Reading(subject, value, relation, 0.65, rule))
    return readings


def table_cell_relations(header: list[str], cells: list[str], cell_mentions: list[list[str]],
                         kind_of: KindOf) -> list[Reading]:
    """A row's subject (first cell) against labelled columns such as 代表模型 / 使用模型."""
    if not cell_mentions or not cell_mentions[0]:
        return []
    subject = cell_mentions[0][0]
    readings = []
    for column, concepts in enumerate(cell_mentions[1:], start=1):
        label = header[column].strip("* ").lower() if column < len(header) else ""
        spec = ATTRIBUTE_LABELS.get(label)
        if spec is None:
            continue
        relation, direction = spec
        for concept in concepts:
            if concept == subject:
                continue
            if relation is R.IS_A and kind_of(subject) not in CATEGORY_KINDS:
                readings.append(Reading(concept, subject, R.USES, 0.6, f"table:{header[column].strip('* ')}"))
            elif direction == "value->subject":
                readings.append(Reading(concept, subject, relation, 0.65, f"table:{header[column].strip('* ')}"))
            else:
                readings.append(Reading(subject, concept, relation, 0.6, f"table:{header[column].strip('* ')}"))
    return readings


def table_comparisons(row_subjects: list[str], header: list[str]) -> list[Reading]:
    """Rows of a table that sets concepts side by side over several attributes are compared."""
    subjects = list(dict.fromkeys(row_subjects))
    if len(header) < 3 or not 2 <= len(subjects) <= MAX_COMPARED_ROWS:
        return []
    return [Reading(a, b, R.COMPARED_WITH, 0.55, "table:compare") for a, b in combinations(subjects, 2)]


def list_item_relation(text: str, mentions: list[Mention], parent: str | None, parent_is_name: bool,
                       kind_of: KindOf) -> list[Reading]:
    """An item led by a concept, under an item or lead that names its parent: child IS_A parent."""
    if not parent or not parent_is_name or not mentions:
        return []
    head = _item_head(text, mentions)
    if head is None or head == parent:
        return []
    parent_kind, child_kind = kind_of(parent), kind_of(head)
    relation = R.IS_A
    if parent_kind in ("architecture", "model") and child_kind in ("mechanism", "technique", "task"):
        relation = R.PART_OF
    return [Reading(head, parent, relation, 0.5, "list:under-parent")]


def tag_relations(subject: str | None, tag_concepts: list[str], kind_of: KindOf) -> list[Reading]:
    """Question tags naming a family or field the question's subject belongs to."""
    if subject is None:
        return []
    return [Reading(subject, tag, R.PART_OF, 0.45, "tags")
            for tag in dict.fromkeys(tag_concepts) if tag != subject and kind_of(tag) in ("family", "field")]


_ITEM_EXAMPLES = re.compile(r"[,，]\s*(?:如|例如|比如|譬如|such as|e\.g\.|like)\s*[:：]?\s*", re.IGNORECASE)


def _item_head(text: str, mentions: list[Mention]) -> str | None:
    """The concept an item opens with ('**PTQ**: …', 'GQA (…)'), if the item is about it."""
    if not mentions:
        return None
    first = min(mentions, key=lambda m: m.start)
    if text[:first.start].strip().strip("*_").strip() or not _ITEM_HEAD_END.match(text[first.end:]):
        return None
    return first.concept


def member_label(text: str) -> bool:
    """A lead such as '**方法**:' that introduces a list of kinds of the topic above it.

    >>> member_label("**方法**:"), member_label("**优点**:")
    (True, False)
    """
    match = _LABEL.match(text)
    return bool(match) and not text[match.end():].strip() and match.group(1).strip().lower() in MEMBER_LABELS


def member_relation(text: str, mentions: list[Mention], topic: str | None, kind_of: KindOf) -> list[Reading]:
    """An item led by a concept in a '方法:' list under a topic: the item is a variant (or kind) of the topic."""
    if topic is None or not mentions:
        return []
    head = _item_head(text, mentions)
    if head is None or head == topic:
        return []
    relation = R.IS_A if kind_of(topic) in CATEGORY_KINDS else R.VARIANT_OF
    return [Reading(head, topic, relation, 0.55, "list:kinds-of-topic")]


def solution_label(text: str) -> bool:
    """A lead such as '- **解决方案**' whose lines below solve the topic above it.

    >>> solution_label("**解决方案**"), solution_label("**方法**:")
    (True, False)
    """
    match = _solution_words(text)
    return bool(match) and not _LABEL_FILLER.sub("", text[:match.start()] + text[match.end():])


def solved_problem(heading: str, mentions: list[Mention]) -> str | None:
    """The problem a '过拟合的应对方案' heading announces solutions to."""
    match = _solution_words(heading)
    if not match:
        return None
    before = [m for m in mentions if m.end <= match.start()]
    return before[-1].concept if before else None


def _solution_words(text: str) -> re.Match[str] | None:
    return _SOLUTION_HEADING.search(text) if _SOLUTION_FIRST_CHARS.search(text) else None


def solution_relation(text: str, mentions: list[Mention], problem: str) -> list[Reading]:
    """A concept that heads a line ('SMOTE：…') inside a solutions section solves that section's problem."""
    if not mentions:
        return []
    first = mentions[0]
    lead = text[:first.start].strip().lstrip("#-*·●•0123456789.、)）( ")
    if lead or first.concept == problem or not _LABEL_END.match(text[first.end:]):
        return []
    return [Reading(first.concept, problem, R.SOLVES, 0.5, "section:解决方案")]


def answer_list_relations(question: str, question_mentions: list[Mention], subject: str | None,
                          answer: str, answer_mentions: list[Mention]) -> list[Reading]:
    """'T5 的两个训练目标？' answered by a line of concepts only ('MLM 和 CLM'): the label types the relation."""
    if subject is None or len(answer_mentions) < 1:
        return []
    rest, position = [], 0
    for mention in answer_mentions:
        rest.append(answer[position:mention.start])
        position = mention.end
    rest.append(answer[position:])
    if not all(_ONLY_COORDINATION.match(part) for part in rest):
        return []
    after_subject = question[max(m.end for m in question_mentions if m.concept == subject):]
    label = next((label for label in sorted(ATTRIBUTE_LABELS, key=len, reverse=True)
                  if len(label) >= 2 and label in after_subject.lower()), None)
    if label is None:
        return []
    relation, direction = ATTRIBUTE_LABELS[label]
    readings = []
    for value in dict.fromkeys(m.concept for m in answer_mentions):
        if value == subject:
            continue
        source, target = (value, subject) if direction == "value->subject" else (subject, value)
        readings.append(Reading(source, target, relation, 0.6, f"answer:{label}"))
    return readings


_LIST_INTRO = re.compile(r"(?:有以下|有如下|以下几|如下几|以下|如下|分为|可分为|分成|包括|包含|涉及到?|组成|主要有|"
                         r"the following|types|kinds|include|includes|consists of|\b(?:are|is)\s*[:：]\s*$)", re.IGNORECASE)
# The line must say what the items are: kinds or parts. "…的实施流程如下：" announces steps, which are neither.
_KIND_OR_PART = re.compile(r"几种|几类|类型|种类|形式|方法|类别|组成|部分|组件|模块|涉及|包括|包含|步骤|"
                           r"types|kinds|forms|methods|components|parts|steps|strategies|techniques|approaches|"
                           r"algorithms|variants", re.IGNORECASE)
_SOLVING_INTRO = re.compile(r"解决|避免|缓解|应对|克服|防止|solve|avoid|mitigate|prevent", re.IGNORECASE)
_PARTS_INTRO = re.compile(r"组成|部分|涉及|步骤|包括|包含|组件|模块|components|steps|parts|consists",
                          re.IGNORECASE)


def list_intro(text: str, mentions: list[Mention]) -> tuple[str, R] | None:
    """'剪枝方法有以下几类：', '该系统涉及到三个模块：': a line that announces the list below it, the
    concept the list is about, and whether its items are kinds of it (IS_A) or parts of it (PART_OF).

    >>> list_intro("剪枝方法有以下几类：", [Mention("pruning", 0, 4)])
    ('pruning', <RelationType.IS_A: 'IS_A'>)
    >>> list_intro("优点如下：", [])
    """
    stripped = text.rstrip()
    if not stripped.endswith((":", "：")) or "\n" in stripped:
        return None
    cue = _LIST_INTRO.search(stripped)
    if cue is None or not _KIND_OR_PART.search(stripped):
        return None
    before = [m for m in mentions if m.end <= cue.start()]
    if not before or PREPOSITION_BEFORE.search(stripped[:before[0].start]):
        return None  # "Strategies in LLMs … are:": a place the line mentions is not what the list is about
    relation = R.PART_OF if _PARTS_INTRO.search(stripped) else R.IS_A
    if _SOLVING_INTRO.search(stripped[:cue.start()]):
        # "解决过拟合问题，可以考虑以下几种方法：": the items are remedies of the problem, not kinds of it; in
        # "解决标注数据成本高的问题" the problem is the cost, which no concept names.
        if not PROBLEM_END.match(stripped, before[0].end):
            return None
        return before[0].concept, R.SOLVES
    return before[0].concept, relation  # the line's subject: "RLHF 就是…强化学习，一般分为以下三个步骤："


def introduced_item(text: str, mentions: list[Mention], intro: tuple[str, R]) -> list[Reading]:
    """An item of a list that a line announced: the concept that leads it is a kind or a part of that line's."""
    head = _item_head(text, mentions)
    whole, relation = intro
    if head is None and relation is R.IS_A:
        # "- 增加额外参数，如：A、B。" under "主要有如下几类：": an item that describes a sort of it by examples.
        example = _ITEM_EXAMPLES.search(text)
        listed = [m for m in mentions if example and m.start >= example.end()]
        return [Reading(m.concept, whole, R.IS_A, 0.55, "list:introduced+examples") for m in listed
                if m.concept != whole] if example and not any(
            m.start < example.start() and m.concept != whole for m in mentions) else []
    if head is None or head == whole:
        return []
    return [Reading(head, whole, relation, 0.6, "list:introduced")]
