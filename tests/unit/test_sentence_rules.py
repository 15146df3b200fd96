"""Sentence and structure rules added for unseen notes, each on an invented sentence run through the whole
extraction (glossary and discovery), so concept ids are the ones a user would see."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.models import RelationType as R
from ingest.pipeline import extract_graphs
from ingest.reader import SourceFile


def typed(text: str) -> set[tuple[str, str, str]]:
    graph = extract_graphs([SourceFile("t.md", Path("t.md"), text, "utf-8", "0")], extraction="rules")[0]
    return {(r.source, r.type.value, r.target) for r in graph.relations if r.type is not R.RELATED_TO}


@pytest.mark.parametrize(("text", "expected"), [
    # A describing phrase before a known kind makes it a kind, not a second name.
    ("## GELU\n\nGELU是平滑的激活函数。\n", {("gelu", "IS_A", "activation-function")}),
    # Doing without something takes its place.
    ("## DPO\n\nDPO 不需要奖励模型。\n", {("dpo", "REPLACES", "reward-model")}),
    ("## Adam\n\nAdam 在 SGD 和 RMSprop 之间取得平衡。\n",
     {("adam", "COMPARED_WITH", "sgd"), ("adam", "COMPARED_WITH", "rmsprop")}),
    # '函数' after a Latin name belongs to it; 'Leaky ReLU' is longer than 'ReLU函数'.
    ("## Leaky ReLU\n\nLeaky ReLU函数可以看作ReLU函数的一种改进。\n", {("leaky-relu", "EXTENDS", "relu")}),
    # An English full stop before a capital ends a sentence; 'both methods' are the last two names.
    ("## Training\n\nBig models are trained with DeepSpeed or FSDP. Both methods support mixed precision "
     "training.\n", {("deepspeed", "USES", "mixed-precision"), ("fsdp", "USES", "mixed-precision")}),
    # A modal word between a pronoun and its verb.
    ("## Alignment\n\nPolicy-gradient methods such as GRPO and PPO train a policy. They often use a reward model.\n",
     {("grpo", "USES", "reward-model"), ("ppo", "USES", "reward-model")}),
    ("## Softsign\n\n后来Softsign函数被引入作为一种激活函数。\n", {("softsign", "IS_A", "activation-function")}),
    # Fixing a method's shortcoming improves on the method.
    ("## Transformer\n\nTransformer 解决了 RNN 无法并行计算的问题。\n", {("transformer", "EXTENDS", "rnn")}),
    # A figure between a line and the list it announces keeps the list open.
    ("## 剪枝\n\n剪枝方法有以下几类：\n\n![示意图](a.png)\n\n- Unstructured：逐个权重剪枝。\n- Structured：按通道剪枝。\n",
     {("structured", "IS_A", "pruning"), ("unstructured", "IS_A", "pruning")}),
    ("## 归一化\n\n归一化可以划分为LayerNorm和BatchNorm。\n",
     {("batchnorm", "IS_A", "normalization"), ("layernorm", "IS_A", "normalization")}),
    ("## Normalization\n\nStudy normalization, particularly LayerNorm.\n", {("layernorm", "IS_A", "normalization")}),
    ("## MoA\n\nMoA 是并行 Adapter 和 LoRA 的组合。\n", {("moa", "USES", "adapter"), ("moa", "USES", "lora")}),
    # A name and its sort word are one mention: LLaMA uses RoPE, not 'positional encoding'.
    ("## 位置编码\n\nLLaMA 模型采用 RoPE 位置编码。\n",
     {("llama", "USES", "rope"), ("rope", "IS_A", "positional-encoding")}),
    # Items that describe a sort by examples, under a line that announces kinds.
    ("## 总结\n\n本文介绍的几种剪枝方法，主要有如下几类：\n\n- 按权重剪枝，如：Magnitude Pruning、Wanda。\n"
     "- 按结构剪枝，如：LLM-Pruner。\n",
     {("magnitude-pruning", "IS_A", "pruning"), ("wanda", "IS_A", "pruning"), ("llm-pruner", "IS_A", "pruning")}),
    # '是一种Y的方法' names Y, a term the notes define nowhere else.
    ("## Bagging\n\nBagging是一种集成学习的方法，可以降低方差。\n", {("bagging", "IS_A", "集成学习")}),
    # A concept divided by a criterion ('按照粒度') before 划分为 is the whole.
    ("## 剪枝\n\n剪枝方法可以划分为结构化剪枝、非结构化剪枝等。其中结构化剪枝又可以按照粒度划分为通道剪枝和层剪枝。"
     "通道剪枝和层剪枝都很常见。\n", {("通道剪枝", "IS_A", "结构化剪枝"), ("非结构化剪枝", "IS_A", "pruning")}),
    ("## RMSNorm\n\n与传统的 LayerNorm 不同，RMSNorm 只做缩放。\n", {("layernorm", "COMPARED_WITH", "rmsnorm")}),
    # A header naming the compared things: columns and each row's values are compared, the aspects are not.
    ("## BERT\n\n| 维度 | BERT | GPT-2 |\n|---|---|---|\n| 位置编码 | 绝对位置编码 | 相对位置编码 |\n",
     {("bert", "COMPARED_WITH", "gpt-2")}),
    ("## 剪枝\n\n常见的有两种类型的剪枝：**结构化剪枝**和**非结构化剪枝**。\n",
     {("结构化剪枝", "IS_A", "pruning"), ("非结构化剪枝", "IS_A", "pruning")}),
    ("## QLoRA\n\nQLoRA 指将 LoRA 和量化两种技术结合起来。\n",
     {("qlora", "USES", "lora"), ("qlora", "USES", "quantization")}),
    # English list items labelled with a dash, under a line that announces kinds.
    ("## Pruning\n\nPruning methods include:\n\n- Magnitude Pruning - drops small weights.\n"
     "- Movement Pruning - drops moving weights.\n",
     {("magnitude-pruning", "IS_A", "pruning"), ("movement-pruning", "IS_A", "pruning")}),
    # A trial swap that went worse weighs the two; nothing took the other's place.
    ("## 归一化\n\n实验表明，将 RMSNorm 换为 LayerNorm 后，训练会变慢。\n", {("layernorm", "COMPARED_WITH", "rmsnorm")}),
    # A name followed by its category says what it is, matched apart or as one name.
    ("## 激活函数\n\nSwish激活函数常用于大模型。\n\nLLaMA 使用 RoPE 位置编码。\n",
     {("swish", "IS_A", "activation-function"), ("rope", "IS_A", "positional-encoding"), ("llama", "USES", "rope")}),
])
def test_rule_reads(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert expected <= typed(text)


@pytest.mark.parametrize("text", [
    "## RL\n\n在使用 GRPO 训练时，要注意奖励设计。\n",  # a circumstance: nobody is said to use GRPO
    "## T5\n\nT5 的输出是一个概率分布。\n",  # what T5 outputs is a distribution, not T5
    "## X\n\nThis method combines 4-bit quantization with low-rank adapters.\n",  # '4-bit' modifies quantization
    "## PPO\n\nPPO 奖励模型很大。\n",  # a part of PPO, not a sort of reward model
    "## LN\n\nLayer Normalization 能稳定训练。\n",  # one full name: it says nothing of a category
])
def test_rule_abstains(text: str) -> None:
    found = typed(text)
    assert not {r for r in found if r[2] in ("grpo", "4-bit", "reward-model", "normalization") or r[0] == "t5"}


def test_a_comparison_table_does_not_compare_its_aspects() -> None:
    found = typed("## BERT\n\n| 维度 | BERT | GPT-2 |\n|---|---|---|\n| 位置编码 | 绝对 | 相对 |\n| LayerNorm | Post | Pre |\n")
    assert ("bert", "COMPARED_WITH", "gpt-2") in found
    assert not {r for r in found if {r[0], r[2]} == {"layernorm", "positional-encoding"}}


def test_a_clipped_name_in_a_list_with_a_shared_head_is_the_full_name() -> None:
    graph = extract_graphs([SourceFile("t.md", Path("t.md"), "## KV\n\nWe use PagedAttention, Grouped-Query, "
                                       "Multi-Query Attention.\n", "utf-8", "0")], extraction="rules")[0]
    names = {c.name for c in graph.concepts}
    assert "Grouped-Query" not in names and "Grouped-Query Attention" in names
