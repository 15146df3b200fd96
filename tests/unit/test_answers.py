"""The answers cut from the notes for flash cards, and the cards made of them (fields, tags, GUIDs)."""

from __future__ import annotations

from graph.anki_deck import UNANSWERED, anki_notes
from graph.models import Document
from ingest.answers import answers_in
from ingest.markdown import parse_markdown

# Invented notes: a heading question with metadata and a code block, list items answering inline, a bold
# question line with its answer below, and a question nobody answered. (A question nested deeper than the
# heading question above it would be part of that answer too, as the parser counts it answered.)
NOTES = """# 推理优化

## 为什么解码阶段是访存瓶颈？

**难度**: ⭐⭐⭐
**标签**: #KV Cache

每生成一个 token 都要把全部权重从显存读一遍，算得少、读得多。

```python
intensity = flops / bytes  # 远小于 GPU 的算力带宽比
```

---

## 投机解码

- Q1: What does speculative decoding guess?
  A: A small draft model proposes several tokens;
  the large model checks them in one pass.
- Q2: 投机解码会改变输出分布吗？
  答：不会，拒绝采样保证分布与大模型一致。

**Why batch requests continuously?**
Finished sequences leave the batch at once and waiting ones take their slots.

## 量化会损失多少精度？
"""


def test_each_layout_gives_the_answer_as_written() -> None:
    answers = answers_in("n.md", NOTES)
    assert answers == {
        "n.md:L3": "每生成一个 token 都要把全部权重从显存读一遍，算得少、读得多。\n\n```python\n"
                   "intensity = flops / bytes  # 远小于 GPU 的算力带宽比\n```",
        "n.md:L18": "A small draft model proposes several tokens;\nthe large model checks them in one pass.",
        "n.md:L21": "不会，拒绝采样保证分布与大模型一致。",
        "n.md:L24": "Finished sequences leave the batch at once and waiting ones take their slots.",
        "n.md:L27": "",
    }
    assert set(answers) == {q.id for q in parse_markdown("n.md", NOTES).questions}


def test_crlf_notes_give_the_same_answers() -> None:
    assert answers_in("n.md", NOTES.replace("\n", "\r\n")) == answers_in("n.md", NOTES)


def _document(notes: str) -> Document:
    parsed = parse_markdown("n.md", notes)
    return Document(id="n.md", path="n.md", title=parsed.title, sha256="", encoding="utf-8", chars=len(notes),
                    lines=notes.count("\n") + 1, sections=parsed.sections, questions=parsed.questions)


def test_cards_escape_html_and_tag_without_spaces() -> None:
    notes = "# 注意力\n\n## Why is 0 < p < 1?\n\n难度: ⭐⭐\n\nA <b>softmax</b> & no zero logits.\n"
    document = _document(notes)
    document.questions[0].concepts = ["bert", "masked-lm", "bert-upper"]
    names = {"bert": "BERT", "masked-lm": "Masked  Language\u3000Model", "bert-upper": "bert"}
    [note] = anki_notes([document], answers_in("n.md", notes), names)
    assert note.fields == ["Why is 0 &lt; p &lt; 1?", "A &lt;b&gt;softmax&lt;/b&gt; &amp; no zero logits.",
                           "n.md:3 § 注意力"]
    assert list(note.tags) == ["BERT", "Masked_Language_Model", "difficulty::2"]


def test_a_question_asked_twice_is_one_card_where_it_is_answered() -> None:
    notes = "# RLHF\n\n- 3. 为什么要 KL 惩罚？\n\n## Q3: 为什么要 KL 惩罚？\n\n防止策略偏离参考模型太远。\n\n## 什么是 GRPO？\n"
    cards = anki_notes([_document(notes)], answers_in("n.md", notes), {})
    assert [(c.fields, list(c.tags)) for c in cards] == [
        (["Q3: 为什么要 KL 惩罚？", "防止策略偏离参考模型太远。", "n.md:5 § RLHF"], []),
        (["什么是 GRPO？", UNANSWERED, "n.md:9 § RLHF"], ["unanswered"]),
    ]
    moved = "\n\n" + notes.replace("Q3:", "7.")  # lines shift and the number changes: the same cards
    assert [c.guid for c in anki_notes([_document(moved)], answers_in("n.md", moved), {})] == [c.guid for c in cards]
