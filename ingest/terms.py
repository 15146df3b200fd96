"""Whether a string is plausibly a study concept: no generic words, numbers, formulas or single letters."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9+#.'-]*(?: [A-Za-z0-9][A-Za-z0-9+#.'-]*){0,4}$")
_FORMULA = re.compile(r"[=+×*^/\\$<>{}\[\]|~…%@!?？！，,。:：;；\"“”]")
_LATIN_LEAD = re.compile(r"^[A-Za-z0-9 .-]+")
_ACRONYM = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")  # the shape; is_acronym counts the capitals

GENERIC_WORDS = frozenset(
    ["精度", "效率", "向量", "矩阵", "权重", "实数", "概率", "分数", "常数", "尾数", "指数", "数值", "维度", "长度", "大小", "数量", "能力", "阶段", "过程", "参数量", "计算量", "显存占用", "内存占用", "速度", "推理速度", "训练速度", "复杂度", "时间复杂度", "空间复杂度", "成本", "开销", "稳定性", "收敛速度", "表达能力", "可解释性", "折中方案", "局限性", "局限", "缺陷", "挑战", "难点", "痛点", "要点", "注意事项", "经验", "做法", "笔记", "例如", "比如", "优点", "缺点", "优势", "劣势", "原理", "问题", "面试", "答案", "标准答案", "特点", "总结", "注意", "方法", "定义", "作用", "场景", "示例", "例子", "应用", "实现", "核心", "关键", "思路", "步骤", "流程", "公式", "代码", "结论", "目的", "意义", "背景", "难度", "岗位", "标签", "公司", "模型", "算法", "数据", "训练", "推理", "参数", "任务", "效果", "性能", "方案", "策略", "技术", "框架", "系统", "机制", "函数", "损失", "网络", "学习", "优化", "改进", "区别", "对比", "比较", "介绍", "解释", "说明", "分析", "理解", "影响", "原因", "代表模型", "使用模型", "架构", "编码", "模型架构", "开源模型", "解决方案", "适用场景", "核心思想", "核心特点", "面试技巧", "加分项", "面试加分点", "实际应用", "实践", "评估", "指标", "目标", "输入", "输出", "估计", "优化算法", "结构", "模型结构", "网络结构", "批量", "灵活性", "model", "models", "algorithm", "method", "methods", "data", "training", "inference", "loss", "function", "the", "a", "an", "this", "that"]
)
GENERIC_PREFIXES = ("另一种", "另一个", "常见", "主流", "传统", "前沿", "不同", "各种", "多种", "这种", "该", "其他", "如何", "什么", "为什么",
                    "一些", "一种", "一个", "引入", "使用", "采用", "通过", "所有", "每个", "常用", "典型", "基本", "简单", "高效", "新的", "现代")
TERM_HEADS = (
    "编码", "注意力", "算法", "模型", "网络", "学习", "微调", "量化", "归一化", "正则化", "损失", "函数", "采样", "搜索",
    "解码", "优化器", "蒸馏", "剪枝", "初始化", "架构", "嵌入", "分词", "切分", "并行", "缓存", "分解", "检索", "对齐",
    "散度", "梯度", "衰减", "退火", "裁剪", "拟合", "森林", "回归", "聚类", "增强", "预热", "插值", "外推", "机制",
)
TECH_HEADS = frozenset(
    ["attention", "encoding", "embedding", "learning", "loss", "sampling", "search", "tuning", "normalization", "optimization", "model", "network", "decoding", "quantization", "scaling", "regularization", "distillation", "pruning", "initialization", "parallelism", "cache", "transformer", "encoder", "decoder", "tokenizer", "tokenization", "interpolation", "gradient", "descent", "descent", "regression", "forest", "tree", "boosting", "bagging", "clustering", "alignment", "feedback", "policy", "optimizer", "laws", "law"]
)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def is_acronym(text: str) -> bool:
    """GQA, LoRA, vLLM, GPT-3, ZeRO-3: two capitals in the first part of one word ('Multi-Head' is no acronym).

    >>> [is_acronym(t) for t in ["GQA", "LoRA", "vLLM", "LLaMA-2", "Evil-Attention", "Transformer"]]
    [True, True, True, True, False, False]
    """
    return bool(_ACRONYM.match(text)) and sum(ch.isupper() for ch in text.split("-")[0]) >= 2


def is_plausible_term(text: str) -> bool:
    """Strong-signal text (bold, tag, bracket) that names a concept rather than a label or a phrase.

    >>> [is_plausible_term(t) for t in ["Focal Loss", "优点", "旋转位置编码", "a", "x = y", "前沿算法", "GSPO"]]
    [True, False, True, False, False, False, True]
    """
    text = text.strip()
    if len(text) < 2 or text.lower() in GENERIC_WORDS or text.isdigit() or _FORMULA.search(text):
        return False
    if has_cjk(text):
        core = _LATIN_LEAD.sub("", text)
        if len(text) > 12 or text.startswith(GENERIC_PREFIXES) or core in GENERIC_WORDS:
            return False
        if any(ch in text for ch in "的中与和或及之在对"):
            return False
        return text.endswith(TERM_HEADS) and len(core) >= 2
    if not _ENGLISH_TERM.match(text) or len(text) > 40:
        return False
    words = text.split()
    if len(words) == 1:
        word = words[0]
        return is_acronym(word) or (any(ch.isupper() for ch in word[1:]) and len(word) >= 4) or (
            "-" in word and len(word) >= 5 and not word[0].isdigit())
    if all(w[0].isupper() or w.lower() in ("of", "with", "from", "for", "and", "to", "in") for w in words):
        return True
    return words[-1].lower() in TECH_HEADS
