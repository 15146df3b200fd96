"""Definitions come from what the notes say a concept is: definitional sentences and answers to 'what is X', never
from a question or a title."""

from __future__ import annotations

from pathlib import Path

from graph.merge import merge_graphs
from graph.models import Concept
from ingest.pipeline import extract_graphs
from ingest.reader import SourceFile


def _definitions(text: str) -> dict[str, Concept]:
    graph = merge_graphs(extract_graphs([SourceFile("n.md", Path("n.md"), text, "utf-8", str(hash(text)))]))
    return {c.id: c for c in graph.concepts}


def test_the_answer_to_what_is_x_defines_x() -> None:
    concepts = _definitions("# 笔记\n\n3. 旋转位置编码（RoPE）是什么？\n答：把查询和键按位置转过一个角度，"
                            "内积于是只和两个词的距离有关。\n")
    rope = concepts["rope"]
    assert rope.definition == "把查询和键按位置转过一个角度，内积于是只和两个词的距离有关。"
    assert rope.definition_source is not None and rope.definition_source.line == 4


def test_an_answer_under_an_english_question_heading_defines_its_concept() -> None:
    concepts = _definitions("## Q7: What is GQA?\n\n**Tags**: #GQA\n\nGroups of query heads share one key and one "
                            "value head each. It keeps most quality.\n")
    assert concepts["grouped-query-attention"].definition == ("Groups of query heads share one key and one value "
                                                              "head each.")


def test_a_question_or_a_title_is_never_a_definition() -> None:
    concepts = _definitions("# 11. Transformer: Why is attention enough?\n\nTransformer 是什么？\n\n"
                            "## LoRA：实践\n\n微调时冻结原权重。\n")
    assert concepts["transformer"].definition is None
    assert concepts["lora"].definition is None


def test_a_sentence_saying_what_sort_of_thing_it_is_beats_an_answer_and_a_remark() -> None:
    concepts = _definitions("RoPE 是这里常用的选择之一。\n\n什么是 RoPE？\n\n答：每两维一组做旋转，按位置转不同的角度。\n\n"
                            "RoPE 是一种相对位置编码，靠旋转注入位置。\n")
    assert concepts["rope"].definition == "RoPE 是一种相对位置编码，靠旋转注入位置。"


def test_an_answer_replaces_a_remark_and_a_question_about_something_else_defines_nothing() -> None:
    concepts = _definitions("RoPE 是这里常用的选择之一。\n\nRoPE 和 ALiBi 的区别？\n\n答：ALiBi 加线性偏置，不转动向量。\n\n"
                            "什么是 RoPE？\n\n答：每两维一组做旋转，按位置转不同的角度。\n")
    assert concepts["rope"].definition == "每两维一组做旋转，按位置转不同的角度。"


def test_a_long_definition_is_cut_at_a_word_with_an_ellipsis() -> None:
    words = " ".join(["rotation"] * 40)
    definition = _definitions(f"RoPE is a positional encoding that applies {words}.\n")["rope"].definition
    assert definition is not None and definition.endswith("rotation…") and len(definition) <= 201
