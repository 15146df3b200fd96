"""Cue phrases that signal a relation inside a sentence, and attribute labels that signal one in structure.

These are linguistic cues ("采用", "variant of"), not facts: a relation is only ever read from a sentence
of an ingested document in which a cue stands between, before or after the concepts it joins.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.models import RelationType as R


@dataclass(frozen=True, slots=True)
class CueSpec:
    """How a cue joins concepts.

    pattern: "infix" (A cue B), "postfix" (A 是 B cue: A rel B),
    "compare" (pairs around or before the cue; passive voice is read from 被/由/是 before the user), "enumerate" (head cue members: member IS_A head),
    "between" (subject 介于 A 和 B 之间), "contains" (A 包括 B: B PART_OF A),
    "alternative" (A 复杂，替代方案如 B: B REPLACES A), "swap" (将 A 换为 B: B REPLACES A),
    "within" (PPO 中的 KL 惩罚: a method uses a component named inside it),
    "used_for" (Softmax 用于多分类问题: what follows uses what comes before),
    "combination" (X 是 A 和 B 的组合: X uses A and B).
    """

    relation: R
    pattern: str
    confidence: float
    max_gap: int = 6


def _cues(relation: R, pattern: str, confidence: float, phrases: str = "", max_gap: int = 6) -> dict[str, CueSpec]:
    return {phrase: CueSpec(relation, pattern, confidence, max_gap) for phrase in phrases.split("|")}


CUES: dict[str, CueSpec] = {
    # Verbs of use say who uses what; verbs that add or offer something say it more loosely (a weaker reading).
    **_cues(R.USES, "infix", 0.65, max_gap=8, phrases="采用|采用了|使用|使用了|使用的是|用了|用的是|利用|借助|依靠|基于|基于的是|"
            "应用了|leverage|leverages|leveraging|relies on|uses|use|used|using|adopts|adopted|employs|built with"),
    **_cues(R.USES, "infix", 0.55, max_gap=8, phrases="引入|引入了|加入了|加入|添加了|添加|involve|involves|support|supports|"
            "provides|offers|implements"),
    **_cues(R.USES, "infix", 0.6, "用", max_gap=1),
    **_cues(R.USES, "infix", 0.6, "通过|借助于|by using|through", max_gap=1),
    **_cues(R.USES, "within", 0.5, "中的|里的", max_gap=1),
    **_cues(R.USES, "used_for", 0.6, "用于|被用于|适用于|used for|used in|is used by|implemented in|"
            "are implemented in|available in", max_gap=1),
    # "X 是 A 和 B 的组合": what a combination is made of, it uses.
    **_cues(R.USES, "combination", 0.65, "的组合|的结合|结合起来|结合在一起|组合起来"),
    **_cues(R.USES, "infix", 0.65, "combines|combination of|组合了|结合了"),
    **_cues(R.EXTENDS, "infix", 0.75, "改进|改进了|扩展|扩展了|拓展|拓展了|改良|优化了|增强了|"
            "extends|extended|improves|improves on|improved|builds on|built on|enhances|generalizes"),
    **_cues(R.EXTENDS, "postfix", 0.8, "的基础上|的改进|的改进版|的改进版本|的扩展|的拓展|的升级版|的增强版|的推广|的增强|"
            "的一种改进|的一种扩展"),
    **_cues(R.REPLACES, "infix", 0.75, "替代|代替|取代|替换|替换了|取代了|replaces|replaced|instead of|supersedes"),
    # "某方法不需要价值网络", "X doesn't need a critic": a method that does without X takes X's place.
    **_cues(R.REPLACES, "infix", 0.6, "不需要|无需|无须|不再需要|doesn't require|does not require|doesn't need|"
            "does not need|eliminates the need for|removes the need for|without the need for|no longer needs"),
    **_cues(R.REPLACES, "swap", 0.65, "换为|换成|替换为|替换成|改为|改成|replaced with|swapped for", max_gap=4),
    **_cues(R.REPLACES, "postfix", 0.65, "的替代|的替代方案|的替代品"),
    **_cues(R.REPLACES, "alternative", 0.6, "替代方案|替代算法|替代方法|alternatives|alternative to"),
    **_cues(R.SOLVES, "infix", 0.75, "解决|解决了|防止|缓解|缓解了|避免|克服|抑制|减轻|应对|"
            "solves|solve|prevents|prevent|mitigates|alleviates|addresses|avoids|tackles|fixes"),
    # "减少/降低 X" says X is a problem only when the notes call it one: "降低过拟合的问题".
    **_cues(R.SOLVES, "infix", 0.6, "减少|降低|减少了|降低了|reduces|reduce", max_gap=4),
    **_cues(R.REQUIRES, "infix", 0.6, "依赖|依赖于|需要先|前提是|建立在|requires|require|depends on|needs"),
    **_cues(R.IS_A, "infix", 0.8, "属于|为一种|作为一种|is a|is an|is a kind of|is a type of|"
            "a type of|a kind of|belongs to"),
    **_cues(R.IS_A, "postfix", 0.75, "的一种|的一类|的一个分支"),
    **_cues(R.VARIANT_OF, "postfix", 0.8, "的变体|的变种|的一种变体|的一个变体|的变形|的特例|的简化版|的简化版本|"
            "的特殊形式|的一种特殊形式|的特殊情况"),
    **_cues(R.VARIANT_OF, "infix", 0.8, "variant of|a variant of|变体|变种"),
    **_cues(R.PART_OF, "postfix", 0.7, "的一部分|的组成部分|的组件|的核心组件|的模块|的子模块|的关键组件|的核心模块"),
    **_cues(R.PART_OF, "infix", 0.7, "part of|component of|is part of"),
    **_cues(R.PART_OF, "contains", 0.6, "包括|包含|包括了|包含了|由|consists of|contains|comprises|includes|"
            "的组成部分有|的主要组成部分"),
    **_cues(R.IS_A, "contains", 0.65, "分为|分成|可分为|主要分为|划分为|可划分为|可以划分为|可以分为"),
    **_cues(R.COMPARED_WITH, "compare", 0.8, "vs|v.s.|versus|对比|比较|相比|相比于|相较于|相较|相对于|差于|区别|差异|异同|"
            "不同之处|优于|好于|劣于|权衡|和|compared with|compared to|than|differs from|difference between|"
            "outperforms|better than|unlike|不同于|comparison of|comparing"),
    **_cues(R.COMPARED_WITH, "compare", 0.55, "比", max_gap=2),
    **_cues(R.COMPARED_WITH, "between", 0.6, "介于"),
    **_cues(R.IS_A, "enumerate", 0.6, "如|比如|例如|譬如|诸如|such as|e.g.|including|like|代表算法为|代表算法|代表模型|"
            "典型代表|其代表|代表方法|particularly|especially|in particular|尤其是|特别是", max_gap=2),
}

# "和" is a coordinator almost everywhere; it only counts as a comparison cue before 的区别/相比, which the
# compare rule checks, so it is kept out of the cue matcher and handled as a coordinator.
CUES.pop("和")

COORDINATORS = frozenset("和与及、,，/或跟以及&→+") | {"and", "or", "以及", "还有", "vs", "VS"}

# Attribute lines ("**代表模型**: BERT、GPT") under a subject: label -> (relation, direction).
# direction "value->subject" means each value concept relates to the subject; "subject->value" the reverse.
ATTRIBUTE_LABELS: dict[str, tuple[R, str]] = {
    **{label: (R.IS_A, "value->subject") for label in
       ("代表模型", "代表算法", "典型模型", "代表方法", "典型代表", "代表", "代表作", "representative models", "examples")},
    **{label: (R.USES, "value->subject") for label in
       ("使用模型", "应用模型", "采用模型", "使用者", "应用于", "used by", "adopted by")},
    **{label: (R.USES, "subject->value") for label in
       ("预训练任务", "训练任务", "训练目标", "attention机制", "机制", "核心技术", "关键技术", "核心机制", "依赖",
        "损失函数", "激活函数", "优化器", "位置编码", "归一化", "分词", "tokenizer", "uses", "基于")},
    **{label: (R.PART_OF, "value->subject") for label in ("组成", "组件", "结构", "包括", "包含", "components")},
    **{label: (R.SOLVES, "subject->value") for label in ("解决", "解决问题", "解决的问题", "作用", "用途", "solves")},
    **{label: (R.COMPARED_WITH, "subject->value") for label in ("对比", "区别", "vs", "compared with")},
}

# Kinds whose members are sorts of them (IS_A), as opposed to things that use them (USES).
CATEGORY_KINDS = frozenset({"architecture", "family", "field", "method"})
PROBLEM_KIND = "problem"
# Kinds that are built from parts ("PPO 中的 KL 惩罚"), and kinds that can be such a part.
COMPOSITE_KINDS = frozenset({"model", "architecture", "algorithm", "method", "technique"})
COMPONENT_KINDS = frozenset({"mechanism", "technique", "loss", "activation", "concept", "optimizer", "algorithm"})

# Words that refer back to the topic of the surrounding section or the previous clause.
PRONOUNS = ("它们", "他们", "它", "其", "该方法", "该算法", "该模型", "这种方法", "这两种方法", "这两个概念", "这两者", "两者", "这三者",
            "both methods", "both techniques", "both approaches", "both", "it", "they")
# Of those, the ones that stand for exactly the last two concepts named before.
PAIR_PRONOUNS = frozenset({"这两种方法", "这两个概念", "这两者", "两者", "both methods", "both techniques", "both approaches", "both"})
