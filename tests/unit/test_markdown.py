"""Markdown structure: sections with lines, questions, metadata, tables, code kept out."""

from __future__ import annotations

from ingest.markdown import parse_markdown, parse_tags
from tests.conftest import DATA

NOTES = """# 注意力

## Q1: 什么是 GQA？

**难度**:⭐⭐⭐
**标签**:#GQA #Reward Hacking

GQA 是 MHA 的变体。

## Q2: DPO 和 PPO 的区别？

**难度**:⭐⭐

| 方法 | 代表模型 |
|------|----------|
| GQA | LLaMA-2 |

```python
x = "MQA 是 MHA 的变体"
```

1. 什么是 RoPE？
答：旋转位置编码。
"""


def test_sections_have_line_ranges_and_parents() -> None:
    doc = parse_markdown("d", NOTES)
    top, q1, q2 = doc.sections
    assert (top.line_start, q1.line_start, q1.line_end, q2.line_start) == (1, 3, 9, 10)
    assert q1.parent == top.id and top.parent is None


def test_a_section_ends_before_the_next_heading_of_its_level_or_higher() -> None:
    text = "# A\n\n## B\n\n### C\n\n## D\n\n#### E\n\n# F\n\n### G\n"
    ends = {s.heading: (s.line_start, s.line_end) for s in parse_markdown("d", text).sections}
    assert ends == {"A": (1, 10), "B": (3, 6), "C": (5, 6), "D": (7, 10), "E": (9, 10), "F": (11, 14), "G": (13, 14)}


def test_questions_know_whether_they_are_answered_and_their_metadata() -> None:
    questions = {q.text: q for q in parse_markdown("d", NOTES).questions}
    q1, q2 = questions["Q1: 什么是 GQA？"], questions["Q2: DPO 和 PPO 的区别？"]
    assert q1.answered and q1.difficulty == 3 and q1.tags == ["GQA", "Reward Hacking"]
    assert q2.difficulty == 2
    assert questions["什么是 RoPE？"].answered


def test_tables_rows_and_code_blocks() -> None:
    doc = parse_markdown("d", NOTES)
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert doc.tables == 1 and rows[0].cells == ["GQA", "LLaMA-2"] and rows[0].line == 16
    assert not any("MQA" in b.text for b in doc.blocks), "code must stay out of prose blocks"


def test_unanswered_question_with_only_metadata() -> None:
    doc = parse_markdown("d", "## Q11: GSPO 和 DAPO 有什么区别？\n\n**难度**:⭐⭐⭐⭐\n**标签**:#GSPO\n\n---\n")
    assert doc.questions[0].answered is False


def test_malformed_markdown_still_parses() -> None:
    doc = parse_markdown("broken", (DATA / "broken.md").read_text(encoding="utf-8"))
    assert doc.sections[0].heading == "Broken notes"
    assert not any("variant" in b.text for b in doc.blocks if b.kind != "code")


def test_tag_values_may_contain_spaces() -> None:
    assert parse_tags("#LoRA #参数高效微调 #Reward Hacking") == ["LoRA", "参数高效微调", "Reward Hacking"]


def test_a_link_titled_with_a_question_is_no_question() -> None:
    doc = parse_markdown("d", "# 目录\n\n- [什么是RLHF？](#rlhf)\n- [**为什么用PPO？**](#ppo)\n\n## 什么是DPO？\n\nDPO 是一种方法。\n")
    assert [q.text for q in doc.questions] == ["什么是DPO？"]
