"""The answer the notes give each question, in the author's own Markdown lines (the back of a flash card)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from graph.models import DocumentGraph
from ingest.definitions import ANSWER_MARK
from ingest.markdown import is_metadata, parse_markdown

_RULE = re.compile(r"^\s*(?:[-=*_]\s*){3,}$")  # '---' between questions, or a setext heading's underline


def answers_in(doc_id: str, text: str) -> dict[str, str]:
    """Question id -> the lines answering it: the rest of the block that asks it and every block up to the next
    title or question (where the parser stops looking for its answer), as the author wrote them, so code and
    formulas survive; metadata lines ('难度: ⭐⭐') and a leading '答：' are left out. '' when nothing follows.

    >>> notes = "## 什么是 GQA？\\n**难度**: ⭐⭐\\n\\n答：多个查询头共享一组键值头。\\n\\n- Q2: Why RoPE?\\n  A: relative.\\n- Q3: Why?"
    >>> answers_in("d", notes)
    {'d:L1': '多个查询头共享一组键值头。\\n\\n- Q2: Why RoPE?\\n  A: relative.\\n- Q3: Why?', 'd:L6': 'relative.', 'd:L8': ''}
    """
    parsed = parse_markdown(doc_id, text)
    lines = text.split("\n")
    blocks = parsed.blocks
    answers: dict[str, str] = {}
    for index, question_id in parsed.question_blocks.items():
        end = parsed.answer_ends[index]
        stop = blocks[end].line if end < len(blocks) else len(lines) + 1  # 1-based line after the answer
        metadata = {number for block in blocks[index + 1:end] if block.kind in ("paragraph", "item")
                    and is_metadata(block) for number in range(block.line, block.line + block.text.count("\n") + 1)}
        kept = [lines[number - 1] for number in range(blocks[index].line + 1, stop) if number not in metadata]
        answers[question_id] = _tidy(kept)
    return answers


def answers_of(documents: Iterable[DocumentGraph]) -> dict[str, str]:
    """Question id -> answer over stored documents; one kept without its text (older stores) answers nothing."""
    return {question_id: answer for document in documents if document.source is not None
            for question_id, answer in answers_in(document.document.id, document.source).items()}


def _tidy(lines: list[str]) -> str:
    """Lines without the indentation they share (a list item's answer), blank or ruled edges and the answer mark."""
    lines = [line.rstrip() for line in lines]  # '\r' of CRLF notes, trailing hard-break spaces
    while lines and (not lines[0].strip() or _RULE.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _RULE.match(lines[-1])):
        lines.pop()
    answer = textwrap.dedent("\n".join(lines))
    return ANSWER_MARK.sub("", answer, count=1).strip()
