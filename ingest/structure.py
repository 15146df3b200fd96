"""Relations read from document structure: attribute lines, tables, nested lists and question tags."""

from __future__ import annotations

import re
from itertools import combinations

from graph.models import RelationType as R
from ingest.cues import ATTRIBUTE_LABELS, CATEGORY_KINDS
from ingest.relations import KindOf, Mention, Reading

_LABEL = re.compile(r"^\s*[*_]*\s*([^:：*]{1,16}?)\s*[*_]*\s*[:：]\s*")
_ITEM_HEAD_END = re.compile(r"^\s*[*_]*\s*([:：(（\-—]|$)")
MAX_COMPARED_ROWS = 6


def attribute_relations(text: str, mentions: list[Mention], subject: str | None, kind_of: KindOf) -> list[Reading]:
    """'代表模型: BERT、RoBERTa' under the subject Encoder-Only -> BERT IS_A Encoder-Only.

    >>> attribute_relations("代表模型:BERT", [Mention("bert", 5, 9)], "encoder-only", lambda c: "architecture")
    [Reading(source='bert', target='encoder-only', type=<RelationType.IS_A: 'IS_A'>, confidence=0.7, rule='attribute:代表模型')]
    """
    match = _LABEL.match(text)
    if not match or subject is None:
        return []
    label = match.group(1).strip().lower()
    spec = ATTRIBUTE_LABELS.get(label) or ATTRIBUTE_LABELS.get(label.replace(" ", ""))
    if spec is None:
        return []
    relation, direction = spec
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
    first = min(mentions, key=lambda m: m.start)
    lead = text[:first.start].strip().strip("*_").strip()
    if lead or first.concept == parent or not _ITEM_HEAD_END.match(text[first.end:]):
        return []
    parent_kind, child_kind = kind_of(parent), kind_of(first.concept)
    relation = R.IS_A
    if parent_kind in ("architecture", "model") and child_kind in ("mechanism", "technique", "task"):
        relation = R.PART_OF
    return [Reading(first.concept, parent, relation, 0.5, "list:under-parent")]


def tag_relations(subject: str | None, tag_concepts: list[str], kind_of: KindOf) -> list[Reading]:
    """Question tags naming a family or field the question's subject belongs to."""
    if subject is None:
        return []
    return [Reading(subject, tag, R.PART_OF, 0.45, "tags")
            for tag in dict.fromkeys(tag_concepts) if tag != subject and kind_of(tag) in ("family", "field")]
