"""Open-vocabulary concepts and the sentence rules that came with them, on small sentences written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.discovery import bracket_pairs
from ingest.markdown import parse_markdown
from ingest.pipeline import extract_graphs
from ingest.reader import SourceFile
from ingest.vocabulary import open_vocabulary, plausible_name


def _found(text: str) -> set[str]:
    return open_vocabulary([parse_markdown("t.md", text)])


def _typed(text: str) -> set[tuple[str, str, str]]:
    """Relations read with the bundled lexicon switched off: names come from the notes alone."""
    graph = extract_graphs([SourceFile("t.md", Path("t.md"), text, "utf-8", "0")], use_lexicon=False, extraction="rules")[0]
    names = {c.id: c.name for c in graph.concepts}
    return {(names.get(r.source, r.source), r.type.value, names.get(r.target, r.target))
            for r in graph.relations if r.type.typed}


def test_repeated_chinese_compounds_and_english_terms_in_chinese_prose_are_concepts() -> None:
    found = _found("分组注意力把头分组。分组注意力省显存。\n\n每层加入 prompt encoder 和 NF4，再用 PagedAttention。")
    assert {"分组注意力", "prompt encoder", "NF4", "PagedAttention"} <= found


def test_a_compound_seen_once_needs_a_mark_and_verbs_never_start_one() -> None:
    assert "稀疏注意力" not in _found("他们采用稀疏注意力。")
    assert "稀疏注意力" in _found("## 稀疏注意力\n\n它很快。")
    assert not any(name.startswith(("采用", "使用")) for name in _found("采用稀疏注意力。采用稀疏注意力。"))


def test_english_prose_takes_name_shapes_not_sentence_starts() -> None:
    found = _found("Training is slow. We fine-tune with Axolotl and QLoRA on a GPU cluster.")
    assert {"Axolotl", "QLoRA"} <= found and "Training" not in found and "We" not in found


@pytest.mark.parametrize(("text", "ok"), [("量化粒度", True), ("Leaky ReLU", True), ("优点", False),
                                          ("为什么要做量化", False), ("剪枝和蒸馏", False), ("v2", False)])
def test_plausible_names(text: str, ok: bool) -> None:
    assert plausible_name(text) is ok


def test_bracket_pairs_split_an_acronym_and_trim_to_the_english_words() -> None:
    assert bracket_pairs("知识蒸馏（Knowledge Distillation, KD）是一种技术") == [
        ("知识蒸馏", "Knowledge Distillation"), ("知识蒸馏", "KD")]
    assert bracket_pairs("DPO也是基于偏好数据（Preference Data）的方法") == [("偏好数据", "Preference Data")]
    assert bracket_pairs("讨论的对象是编码器（Encoder）") == [("编码器", "Encoder")]


def test_a_latin_name_with_a_classifier_joins_the_name() -> None:
    graph = extract_graphs([SourceFile("t.md", Path("t.md"), "## Mish\n\nMish函数很平滑。Mish 常用。", "utf-8", "0")],
                           use_lexicon=False, extraction="rules")[0]
    mish = next(c for c in graph.concepts if c.name == "Mish")
    assert "Mish函数" in mish.aliases


def test_copula_with_a_kind_marker_reads_is_a_and_without_one_reads_nothing() -> None:
    assert ("Swish", "IS_A", "激活函数") in _typed("## 激活函数\n\nSwish是最常用的激活函数之一。")
    assert not _typed("## Swish\n\nSwish是门控激活函数。")  # 'X 是 Y' may name one thing twice


def test_the_sentence_subject_carries_to_later_clauses_and_possessives_take_their_head() -> None:
    found = _typed("## 神经元死亡\n\nSwish在输入小于0时输出很小的值，这样可以避免ReLU的“神经元死亡”问题。")
    assert ("Swish", "SOLVES", "神经元死亡") in found and ("Swish", "SOLVES", "ReLU") not in found


def test_a_verb_inside_a_relative_clause_or_after_a_preposition_states_no_use() -> None:
    assert not any(t == "USES" for _, t, _ in _typed("## GQA\n\nGQA 是被广泛使用的注意力。GQA 很快。"))
    found = _typed("## TensorRT\n\nTensorRT对权重使用Per-channel量化。")
    assert ("TensorRT", "USES", "Per-channel") in found


def test_used_for_points_from_the_task_to_the_tool() -> None:
    found = _typed("## Softmax\n\nSoftmax函数通常用于多分类问题。多分类问题很多。")
    assert any(user.endswith("分类") and used == "Softmax" for user, kind, used in found if kind == "USES")


def test_every_glossary_entry_names_a_general_source() -> None:
    import json

    from ingest.lexicon import LEXICON_FILE, SOURCES

    rows = [json.loads(line) for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows and all(row["source"] in SOURCES for row in rows)
    assert len({row["id"] for row in rows}) == len(rows)


def test_two_concepts_that_open_a_sentence_with_a_predicate_of_difference_are_compared() -> None:
    found = _typed("## 模型\n\nPPO 和 DPO 在训练过程中可以是一致的，也可以是不同的。\n")
    assert ("PPO", "COMPARED_WITH", "DPO") in found or ("DPO", "COMPARED_WITH", "PPO") in found


def test_a_category_before_a_colon_lists_its_kinds_but_a_line_label_does_not() -> None:
    found = _typed("## 训练\n\n并行很重要，并行也很难。我们比较三种并行方法：DPX (batch)、PPX (layer) 和 TPX。\n")
    assert {("DPX", "IS_A", "并行"), ("PPX", "IS_A", "并行"), ("TPX", "IS_A", "并行")} <= found
    assert not any(kind == "IS_A" for _, kind, _ in _typed("## X\n\nLoRA 和 QLoRA：都很省显存。\n"))
