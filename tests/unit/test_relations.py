"""Relation rules on small sentences: which concept is on which side of the cue."""

from __future__ import annotations

import gc
from itertools import pairwise

import pytest

from graph.models import RelationType as R
from ingest.extract import DocumentExtractor
from ingest.lexicon import ConceptIndex, load_lexicon
from ingest.markdown import parse_markdown
from ingest.nlp import build_nlp
from ingest.reader import SourceFile


@pytest.fixture(scope="module")
def extract():  # type: ignore[no-untyped-def]
    index = ConceptIndex(load_lexicon())
    nlp = build_nlp(index)

    def run(text: str) -> set[tuple[str, str, str]]:
        source = SourceFile("t.md", __import__("pathlib").Path("t.md"), text, "utf-8", "0")
        graph = DocumentExtractor(source, parse_markdown("t.md", text), index).run(nlp)
        return {(r.source, r.type.value, r.target) for r in graph.relations if r.type is not R.RELATED_TO}

    return run


@pytest.mark.parametrize(("text", "expected"), [
    ("LLaMA 和 Qwen 都采用 RoPE。", {("llama", "USES", "rope"), ("qwen", "USES", "rope")}),
    ("GQA 是 MHA 的变体。", {("grouped-query-attention", "VARIANT_OF", "multi-head-attention")}),
    ("DPO 取代了 PPO。", {("dpo", "REPLACES", "ppo")}),
    ("Dropout 可以防止过拟合。", {("dropout", "SOLVES", "overfitting")}),
    ("RoPE 是一种相对位置编码。", {("rope", "IS_A", "relative-position-encoding")}),
    ("RLHF 由 SFT、奖励模型和 PPO 组成。", {("sft", "PART_OF", "rlhf"), ("reward-model", "PART_OF", "rlhf"),
                                          ("ppo", "PART_OF", "rlhf")}),
    ("## BPE vs WordPiece", {("bpe", "COMPARED_WITH", "wordpiece")}),
    ("RoPE 位置编码主要是 LLaMA 模型采用。", {("llama", "USES", "rope")}),
    ("BERT uses WordPiece instead of BPE.", {("bert", "USES", "wordpiece"), ("wordpiece", "REPLACES", "bpe")}),
])
def test_cue_rules(extract, text: str, expected: set[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert expected <= extract(text)


def test_names_written_side_by_side_state_nothing(extract) -> None:  # type: ignore[no-untyped-def]
    """'DeepSpeed ZeRO', 'GPTQ 量化': two names next to each other are no sentence saying how they relate."""
    assert not extract("我们用 DeepSpeed ZeRO 训练，再做 GPTQ 量化。") & {
        ("deepspeed", "USES", "zero"), ("gptq", "VARIANT_OF", "quantization")}


def test_elided_subject_comes_from_the_lead_line(extract) -> None:  # type: ignore[no-untyped-def]
    found = extract("·ROPE（旋转位置编码）\n\n通过复数形式来改进三角函数绝对位置编码。\n")
    assert ("rope", "EXTENDS", "absolute-position-encoding") in found  # 三角函数绝对位置编码: an absolute one


def test_pronoun_refers_back_to_the_previous_question(extract) -> None:  # type: ignore[no-untyped-def]
    found = extract("#### Q3:DPO和KTO了解吗？他们和PPO有什么区别？\n")
    assert {("dpo", "COMPARED_WITH", "ppo"), ("kto", "COMPARED_WITH", "ppo")} <= found


def test_attribute_lines_and_tables_under_a_subject(extract) -> None:  # type: ignore[no-untyped-def]
    found = extract("**1. Encoder-Only (编码器架构)**\n- **代表模型**:BERT、RoBERTa\n\n"
                    "| 类型 | 速度 | 代表模型 |\n|---|---|---|\n| **MQA** | 快 | PaLM |\n| **GQA** | 中 | Mistral |\n")
    assert ("bert", "IS_A", "encoder-only") in found
    assert ("palm", "USES", "multi-query-attention") in found
    assert ("grouped-query-attention", "COMPARED_WITH", "multi-query-attention") in found


def test_code_blocks_give_no_relations(extract) -> None:  # type: ignore[no-untyped-def]
    assert extract("```\nGQA 是 MHA 的变体\n```\n") == set()


@pytest.mark.parametrize(("text", "expected"), [
    # a clause-final comparison cue compares the pair the clause opened with
    ("### BERT 和 GPT 在文本生成任务上的优劣对比？", {("bert", "COMPARED_WITH", "gpt")}),
    # a category followed by a bracketed list of its members
    ("常见的相对位置编码（ALiBi、RoPE）都能外推。", {("alibi", "IS_A", "relative-position-encoding"),
                                            ("rope", "IS_A", "relative-position-encoding")}),
    # "vs X" under a section compares X with the section's topic
    ("## GQA\n\n**vs MHA**:\n\n显存更省。", {("grouped-query-attention", "COMPARED_WITH", "multi-head-attention")}),
    # "将 A 换为 B": B takes A's place
    ("实验中将 ReLU 换为 GELU 后收敛更快。", {("gelu", "REPLACES", "relu")}),
    # "A 中的 B" between a method and a component
    ("DPO 中的 KL 散度约束来自参考模型。", {("dpo", "USES", "kl-divergence")}),
    # a question that leaves its subject to the section heading
    ("## Adam\n\n### 为什么要用 warmup？", {("adam", "USES", "warmup")}),
    # a '方法' list under a topic lists its variants
    ("**模型量化**\n- **方法**:\n  - **GPTQ**: 逐层量化\n  - **AWQ**: 保护重要权重\n",
     {("gptq", "VARIANT_OF", "quantization"), ("awq", "VARIANT_OF", "quantization")}),
    # a bare line of concepts answers a question about the subject's training tasks
    ("- **GPT 的训练任务？**\n\nCLM\n", {("gpt", "USES", "clm")}),
    # solutions under a problem's heading or a 解决方案 lead
    ("## 过拟合的解决方案\n\n### 正则\n\nDropout：随机丢弃神经元\n", {("dropout", "SOLVES", "overfitting")}),
    ("## 梯度爆炸\n\n- **解决方案**\n\n梯度裁剪\n", {("gradient-clipping", "SOLVES", "gradient-explosion")}),
])
def test_structure_and_sentence_rules(extract, text: str, expected: set[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert expected <= extract(text)


@pytest.mark.parametrize("text", [
    "### 为什么 BERT 不用 RoPE？",      # negated use
    "### 大家用 LoRA 吗？",             # no question word: no elided subject
])
def test_rules_that_must_not_fire(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not {r for r in extract(text) if r[1] == "USES"}


@pytest.mark.parametrize(("text", "pair", "first"), [
    ("你知道 GRPO 吗，它和 PPO 的主要区别是什么？", ("grpo", "ppo"), "ppo"),
    ("和传统 SFT 相比，RLHF 解决了哪些问题？", ("rlhf", "sft"), "sft"),
    ("GQA 的参数量介于 MHA 和 MQA 之间。", ("grouped-query-attention", "multi-head-attention"), "multi-head-attention"),
    ("MHA、MQA 的区别是什么？", ("multi-head-attention", "multi-query-attention"), None),
])
def test_a_comparison_names_its_reference_side(text: str, pair: tuple[str, str], first: str | None) -> None:
    from ingest.pipeline import extract_graphs

    graph = extract_graphs([SourceFile("t.md", __import__("pathlib").Path("t.md"), text, "utf-8", "0")], extraction="rules")[0]
    found = {frozenset((r.source, r.target)): r for r in graph.relations if r.type is R.COMPARED_WITH}
    assert found[frozenset(pair)].first == first


def test_a_model_uses_the_component_named_inside_it(extract) -> None:  # type: ignore[no-untyped-def]
    assert ("transformer", "USES", "self-attention") in extract("Transformer 模型中的自注意力机制如何工作？")


@pytest.mark.parametrize(("text", "absent"), [
    ("离线：收集错误案例，构造对比训练集，用 DPO 精调；", ("dpo", "COMPARED_WITH", "fine-tuning")),
    ("# LoRA\n\nLoRA 基于大模型的内在低秩特性，增加旁路矩阵。", ("lora", "USES", "llm")),
    ("# AUC\n\n假设你采用 precision 指标。", ("auc", "USES", "precision")),
    ("# BPE\n\n实践：使用 HuggingFace tokenizers 训练 tokenizer。", ("bpe", "USES", "huggingface")),
])
def test_readings_that_look_like_relations_but_are_not(extract, text: str,  # type: ignore[no-untyped-def]
                                                        absent: tuple[str, str, str]) -> None:
    assert absent not in extract(text)


def test_extracting_a_document_leaves_no_reference_cycles() -> None:
    """Ingest pauses the garbage collector, so a document's Doc and spans must be freed by reference counting."""
    index = ConceptIndex(load_lexicon())
    nlp = build_nlp(index)
    text = "# RoPE\n\n- **GQA**: MHA 的变体，LLaMA 采用 RoPE 和 GQA。\n\n| 模型 | 位置编码 |\n|---|---|\n| LLaMA | RoPE |\n"
    source = SourceFile("t.md", __import__("pathlib").Path("t.md"), text, "utf-8", "0")
    gc.collect()
    gc.disable()
    try:
        graph = DocumentExtractor(source, parse_markdown("t.md", text), index).run(nlp)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert graph.relations
    assert unreachable == 0


def test_mentions_and_cues_never_overlap() -> None:
    """The sentence loop cuts a block's mentions and cues at a sentence end by looking at the last one only."""
    from ingest.components import CONCEPTS_KEY, CUES_KEY, TERMS_KEY, spans_of

    nlp = build_nlp(ConceptIndex(load_lexicon()))
    text = ("Grouped-Query Attention (GQA) 是 MHA 的变体；LLaMA-2 采用 GQA 和 RoPE，KV Cache 更小。"
            "QLoRA 基于 LoRA，而 FooBarNet 与 XyzLM 对比 vs BPE。")
    doc = nlp(text)
    for spans in ([*spans_of(doc, CONCEPTS_KEY), *spans_of(doc, TERMS_KEY)], spans_of(doc, CUES_KEY)):
        ordered = sorted((s.start, s.end) for s in spans)
        assert len(ordered) >= 2
        assert all(end <= later for (_, end), (later, _) in pairwise(ordered))
