"""Open-vocabulary concept candidates from the notes themselves: Latin-script terms, Chinese noun compounds
(segmented by jieba), and names that structure or a definition puts forward. Kept by termhood, never by a list.

A candidate is a term when the document marks it (heading, bold, list label, bracketed alias, sentence subject of a
definition) or when it has the shape of one and recurs: a Chinese compound that ends in a technical head noun, an
English phrase that ends in one, an acronym, a CamelCase or digit-bearing name, or a run of English words written
inside Chinese prose (notes write their technical terms in English).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.terms import GENERIC_PREFIXES, GENERIC_WORDS, has_cjk, is_acronym

if TYPE_CHECKING:
    from ingest.markdown import ParsedDocument

def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = r"(?=[0-9]*[A-Za-z]|[0-9]+-[A-Za-z])[A-Za-z0-9][A-Za-z0-9+#]*(?:[-./'][A-Za-z0-9]+)*"  # GPT-3, 8-bit
_LATIN_RUN = re.compile(rf"(?<![A-Za-z0-9_/.@-]){_LATIN_WORD}(?: {_LATIN_WORD}){{0,5}}(?![A-Za-z0-9_/@(-])")
_DIGIT_NAME = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*$")  # FP16, NF4, int8, Llama2-7B
_CAMEL = re.compile(r"^[A-Z]?[a-z]+[A-Z][A-Za-z0-9]*$|^[A-Z][a-z0-9]+(?:-[A-Z][a-z0-9]*)+$")  # FlashAttention, FineWeb-Edu
_URLISH = re.compile(r"(?:https?|www\.|\.com|\.org|\.md|\.png|\.py)", re.IGNORECASE)
# Where a sentence (or a list item, heading, quote) starts: the end of each match. Found once per block, not by
# searching the text before each run of words, which made a block of many runs quadratic.
_SENTENCE_START = re.compile(r"^|[.!?:;。！？：；\n]\s*|[-*#>]\s+")

# Technical head nouns: a compound that ends in one names a thing, not an action ("线性量化", "奖励函数").
CJK_HEADS = (
    "量化", "函数", "编码", "编码器", "解码器", "注意力", "算法", "模型", "网络", "学习", "训练", "微调", "归一化",
    "正则化", "损失", "采样", "搜索", "解码", "优化器", "优化", "蒸馏", "剪枝", "初始化", "架构", "嵌入", "分词",
    "分词器", "并行", "缓存", "分解", "检索", "对齐", "散度", "梯度", "衰减", "裁剪", "拟合", "回归", "聚类",
    "增强", "插值", "外推", "机制", "估计", "矩阵", "向量", "张量", "误差", "延迟", "粒度", "反馈", "奖励", "策略",
    "框架", "模板", "提示", "融合", "打包", "爆炸", "消失", "依赖", "碎片", "分布", "感知", "单元", "批处理",
    "数据", "数据集", "参数", "权重", "浮点数", "整数", "定点数", "精度", "头", "层", "器", "率", "合成", "填充",
    "死亡", "结构", "分类", "建模", "压缩", "卸载", "分页", "平铺", "校准", "偏置", "token",
)
# The last characters of every head noun: a block without one has no compound to find.
_HEAD_CHARS = re.compile("[" + "".join(sorted({head[-1] for head in CJK_HEADS if has_cjk(head)} | set("器率数层头"))) + "]")
# Words that never start a compound: function words, pronouns, quantifiers and verbs that introduce an object.
NOT_MODIFIERS = word_set(
    "的 了 是 和 与 及 或 在 对 将 把 被 用 为 中 从 到 由 等 即 也 就 都 还 而 并 但 这 那 其 该 此 各 每 某 "
    "一 一个 一种 一些 这个 这种 这些 那些 它 它们 我们 你 他们 就是 也是 都是 不是 可以 可能 能够 需要 通过 使用 "
    "采用 利用 借助 依靠 基于 进行 实现 包括 包含 如 如何 什么 为什么 怎么 以及 并且 或者 因为 所以 如果 虽然 然后 同时 "
    "主要 通常 一般 常用 常见 不同 多种 各种 其他 所有 整个 更 最 很 非常 较 比较 相对 直接 只 仅 新 大 小 "
    "引入 提出 提供 支持 降低 减少 提高 增加 避免 解决 缓解 适合 适用 用于 作为 称为 叫做 表示 得到 获得 "
    "研究 问题 方法 技术 方式 过程 时候 情况 方面 部分 之间 以上 以下 之后 之前 当前 目前 下面 上面 "
    "会 导致 使 使得 让 来 不 没 有 要 应 应该 已 已经 再 又 才 却 所 其中 本质 本质上 简单 介绍 理解 解释 讨论 说明 "
    "总结 分析 考虑 根据 按照 关于 对于 随着 除了 以 于 给 向 往 个 种 次 些 位 层 来说 而言 产生 出现 带来 "
    "分为 划分 分成 称为 变成 转换 映射 例如 比如 譬如 做法 笔记 阶段 相关 有关 "
    "造成 影响 参与 评估 收集 标注 设计 选择 执行 存储 加载 保持 帮助 允许 使得 让 需要"
)
# Single characters that do start Chinese technical compounds (非线性, 多任务, 自回归, 预训练, 半精度 ...).
_PREFIX_CHARS = frozenset("非多单双自微子超预后前高低半全软硬逆反正负重总大小长短稀稠")
_MAX_CJK_NAME = 10


# jieba's bundled dictionary cut to its common words (scripts/build_segmenter_words.py): it loads in ~0.25 s
# instead of ~0.9 s and segments notes the same way.
SEGMENTER_WORDS = Path(__file__).resolve().parent / "segmenter" / "words.txt"


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    """The segmenter loads its dictionary on first use, so only ingest pays for it."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(dictionary=str(SEGMENTER_WORDS))
    tokenizer.initialize()
    return tokenizer


def segment(text: str) -> tuple[str, ...]:
    """jieba's words for a text (its bundled dictionary; no model is downloaded)."""
    return tuple(_jieba().cut(text, HMM=True))


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    """jieba's words of a short name; names recur across blocks and documents, so their words are kept."""
    return segment(name)


def cjk_compounds(text: str) -> Iterator[str]:
    """Compounds of up to four words ending in a technical head noun, within runs of Chinese characters.

    >>> sorted(set(cjk_compounds("按照量化方法可以划分为线性量化、非线性量化，其中线性量化又分为对称量化和非对称量化")))
    ['对称量化', '线性量化', '量化', '非对称量化', '非线性量化']
    """
    if not _HEAD_CHARS.search(text):
        return  # no head noun can end a compound here: skip segmenting
    # One jieba call per block, not per run: its per-call cost dominated. Words outside Chinese break compounds.
    words = [word if _CJK_RUN.fullmatch(word) else "" for word in segment(text)]
    for end, word in enumerate(words):
        if not _is_head(word):
            continue
        start = end
        while start > 0 and end - start < 3 and _modifier(words[start - 1]) and len(
                "".join(words[start - 1:end + 1])) <= _MAX_CJK_NAME:
            start -= 1
        # A compound and its head are both candidates ("对称量化", "量化"); termhood decides which stay.
        for first in range(start, end + 1):
            name = "".join(words[first:end + 1])
            if len(name) >= 2 and name not in NOT_MODIFIERS:
                yield name


@lru_cache(maxsize=65536)
def _modifier(word: str) -> bool:
    """A word that can stand before a head inside a compound: no function word or verb of the sentence, and a
    single character only if it is a productive prefix (非, 多, 自, 预 ...) or a technical noun (秩, 核, 词 ...)."""
    if not word or word in NOT_MODIFIERS or not _CJK_RUN.fullmatch(word):
        return False
    if len(word) == 1:
        return word in _PREFIX_CHARS or word in _NOUN_CHARS
    # Words jieba guessed with its HMM (not in its dictionary) are often two halves of neighbours: "化将".
    return _jieba().FREQ.get(word) is not None and not _function_like(word)


# Characters that are function words on their own: particles, pronouns, prepositions, measure words, verbs of
# being and having. A numeral starts a count ('三个', '两层'), never a name.
# Single characters that are technical nouns inside compounds ('低秩分解', '卷积核', '词向量').
_NOUN_CHARS = frozenset("秩核图树词字句块键值码权门")
_FUNCTION_CHARS = frozenset("的了是和与及或在对将把被用为中从到由等即也就都还而并但这那其该此各每某个种次些位"
                            "来去会可要能以于给向往着过所有无不没很更最较又再才却之")
_NUMERAL_START = re.compile(r"^[0-9一二三四五六七八九十百千万两几多少数]+(?:[个种类些次位层步项条组倍])")


def _function_like(word: str) -> bool:
    """A word that starts no name: listed function words, counts ('三个'), and words ending in a particle."""
    return word in NOT_MODIFIERS or bool(_NUMERAL_START.match(word)) or word[-1] in "们地得着了过"


@lru_cache(maxsize=65536)
def _is_head(word: str) -> bool:
    return (bool(word) and word in CJK_HEADS) or (len(word) >= 2 and word.endswith(("器", "率", "数", "层", "头")) and word not in
                                 NOT_MODIFIERS)


def _title_case(text: str) -> bool:
    """A heading-like line where most words are capitalised: capitals there say nothing about names."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"|\[[^\]]*\]\([^)]*\)")


def latin_terms(text: str) -> Iterator[tuple[str, bool]]:
    """Latin-script names in a block, each with whether it stands inside Chinese prose.

    Inside Chinese prose a run of English words is a term (up to four words). In English prose only shapes that
    ordinary words lack count: acronyms, CamelCase, names with digits, and capitalised words away from a
    sentence start ("Axolotl", "Leaky ReLU").
    """
    titled = _title_case(text)
    chinese_block = len(_CJK_CHAR.findall(text)) >= 4  # Chinese prose: its English words are terms
    text = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)  # titles of papers and links are not terms
    sentence_starts = {boundary.end() for boundary in _SENTENCE_START.finditer(text)}
    for match in _LATIN_RUN.finditer(text):
        phrase = match.group(0).strip(".'/-")
        if not phrase or _URLISH.search(phrase) or len(set(phrase.lower().split())) < len(phrase.split()):
            continue
        before = text[max(0, match.start() - 3):match.start()].rstrip()[-1:]
        after = text[match.end():match.end() + 3].lstrip()[:1]
        inside_chinese = chinese_block or has_cjk(before + after)
        words = phrase.split()
        if inside_chinese and len(words) <= 4:
            yield phrase, True
            continue
        yield from ((name, False) for name in _named_spans(words, match.start() in sentence_starts, titled))


def _named_spans(words: list[str], at_start: bool, titled: bool) -> Iterator[str]:
    """Maximal runs of name-shaped words in English prose (capitalisation counts only outside title case)."""
    run: list[str] = []
    for position, word in enumerate(words):
        first = titled or (position == 0 and at_start)
        if is_name_word(word, first) and len(run) < 3:
            run.append(word)
            continue
        if run:
            yield from _name_run(run)
        run = []
    if run:
        yield from _name_run(run)


def _name_run(run: list[str]) -> Iterator[str]:
    """A run of name-shaped words, unless it is one capitalised word that is a generic head noun ('Learning')."""
    if len(run) == 1 and not (is_acronym(run[0]) or _DIGIT_NAME.match(run[0]) or _CAMEL.match(run[0])) and (
            run[0].lower().rstrip("s") in _ENGLISH_HEADS or run[0].lower() in _ENGLISH_HEADS):
        return
    yield " ".join(run)


def is_name_word(word: str, sentence_start: bool = False) -> bool:
    """A word shaped like part of a name: GQA, vLLM, FP16, FlashAttention, or capitalised mid-sentence.

    >>> [is_name_word(w) for w in ["GQA", "vLLM", "FP16", "FlashAttention", "Axolotl", "the", "The"]]
    [True, True, True, True, True, False, False]
    >>> is_name_word("Lion", sentence_start=True), is_name_word("GQA", sentence_start=True)
    (False, True)
    """
    word = word.strip(".,'")
    if len(word) < 2 or word.lower() in _ENGLISH_FUNCTION_WORDS:
        return False
    if is_acronym(word) or _DIGIT_NAME.match(word) or _CAMEL.match(word):
        return True
    return word[0].isupper() and not sentence_start and word[1:].islower() and len(word) >= 3


_ENGLISH_FUNCTION_WORDS = word_set(
    "a an the this that these those it its is are was were be been being and or but if then than so as of to in on "
    "at by for with from into over under about between through during after before via per not no yes can could "
    "may might will would should must do does did done has have had we you they he she i our your their my me us "
    "them what which who whom whose when where why how all any both each few more most other some such only own "
    "same very also just too while because until up down out off again further once here there e.g i.e etc vs "
    "figure fig table note see section chapter step part example alternative alternatives reference references "
    "overview introduction summary answer question template templates strategy strategies"
)


def english_compounds(text: str) -> Iterator[str]:
    """Lower-case English noun phrases of two or three words ending in a technical head ('soft prompt' too)."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", text)
    for end, word in enumerate(words):
        if end and word.lower() == words[end - 1].lower():
            continue
        if word.lower().rstrip("s") not in _ENGLISH_HEADS and word.lower() not in _ENGLISH_HEADS:
            continue
        for size in (2, 3):
            phrase = words[end - size + 1:end + 1] if end - size + 1 >= 0 else []
            if phrase and len({w.lower() for w in phrase}) == size and all(
                    w.lower() not in _ENGLISH_FUNCTION_WORDS and w.lower() not in _ENGLISH_VERBS for w in phrase):
                yield " ".join(phrase)


_ENGLISH_HEADS = word_set(
    "attention encoding embedding learning loss sampling search tuning normalization optimization model network "
    "decoding quantization scaling regularization distillation pruning initialization parallelism cache "
    "transformer encoder decoder tokenizer tokenization interpolation gradient descent regression alignment "
    "feedback policy optimizer function matrix vector tensor prompt token template format dataset data filtering "
    "deduplication batching decontamination generation modeling training merging adapter layer head mechanism "
    "estimation algorithm framework method strategy technique"
)
_ENGLISH_VERBS = word_set(
    "various different modern main core key specific precise significant traditional typical common popular "
    "simple basic high-level low-level whole entire overall final initial important useful efficient "
    "use uses used using make makes made allow allows allowed help helps improve improves reduce reduces provide "
    "provides require requires need needs get gets give gives take takes apply applies applied train trains "
    "trained fine-tune fine-tuned generate generates generated create creates created perform performs learn "
    "learns based new good better best large small high low different many much"
)


def plausible_name(text: str) -> bool:
    """A heading, bold run or label that can name a concept: short, no sentence punctuation, not a generic word.

    >>> [plausible_name(t) for t in ["量化粒度", "Leaky ReLU", "优点", "为什么要做量化", "a", "Per-tensor", "Q10"]]
    [True, True, False, False, False, True, False]
    """
    text = text.strip()
    if len(text) < 2 or text.lower() in GENERIC_WORDS or re.search(r"[，,。;；!?！？=:：\"“”《》\[\]()（）和与及或、&]", text):
        return False
    if re.search(r"\b(?:by|and|or|of the)\b", text) or re.fullmatch(r"[vV]\d+(?:\.\d+)*|[QA]\d+|\d+(?:\.\d+)?[BMKTbmkt]", text):
        return False
    if has_cjk(text):
        if re.search(r"[()（）]", text) or text.startswith(GENERIC_PREFIXES):
            return False  # '另一种并行模式', '常见方法': a phrase about a kind, not its name
        words = name_words("".join(_CJK_RUN.findall(text)))
        first = words[0]
        return len("".join(words)) <= _MAX_CJK_NAME and not _function_like(first) and not (
            len(first) == 1 and first in _FUNCTION_CHARS) and (
            words[-1] not in NOT_MODIFIERS or words[-1] in CJK_HEADS) and not re.search(r"[的了吗呢么]", text)
    words = text.split()
    return (len(words) <= 5 and any(is_name_word(w) for w in words)) or (
        len(words) <= 4 and words[-1].lower().rstrip("s") in _ENGLISH_HEADS)


def termhood(counts: Counter[str], marked: Iterable[str], min_count: int = 2) -> set[str]:
    """The candidates to keep: every marked one, and the shaped ones seen at least `min_count` times."""
    kept = set(marked) | {name for name, count in counts.items() if count >= min_count}
    return {name for name in kept if plausible_name(name) and name not in NOT_MODIFIERS}


_NUMBERING = re.compile(r"^[^\w\u3400-\u9fff]*(?:\d+(?:\.\d+)*[.、)]?|[(（\[]\d+[)）\]]|[一二三四五六七八九十]+[、.])?[^\w\u3400-\u9fff]*")
# "把最后一层称为输出层": what a thing is called is a name.
_CALLED = re.compile(r"(?:称为|叫做|称作|简称|又称|也称为|被称为|called|known as|termed)\s*[\"“「]?"
                     r"([\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z0-9 -]{1,15}?)[\"”」]?(?=[，,。;；:：)）\s]|$)")
_ENUMERATION_CUE = re.compile(r"(?:如|例如|比如|诸如|包括|such as|like|including)\s*[:：]?\s*")
_CLASSIFIER_END = re.compile(r"(?<=[\u3400-\u9fff])(?:方法|技术|算法|机制|方案)$")
_LIST_SEPARATOR = re.compile(r"\s*(?:、|,|，|/|和|与|及|以及|或者|或|and|or)\s*")
# 'Mish函数', 'Per-tensor量化': a Latin name with a word that says what sort of thing it is (discovery folds them).
_CLASSIFIED_NAME = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z][A-Za-z0-9.+#-]*[A-Za-z0-9+#](?:函数|算法|模型|激活函数|量化|优化器)")
_LABEL = re.compile(r"^\s*[*_]*\s*([^:：*\n]{2,24}?)\s*[*_]*\s*[:：]")
_DASH_LABEL = re.compile(r"^\s*[*_]*\s*([^:：*\n\-–—]{2,32}?)\s*[*_]*\s+[-–—]\s+")  # '- Beam Search - keeps …'
# "是一种集成学习的方法": the kind a definition names is a term when it ends in a head noun.
_KIND_NAMED = re.compile(r"是一[种类]([\u3400-\u9fff]{2,8}?)的?(?:方法|技术|算法|模型|机制|策略)")
_DEFINED = re.compile(r"(?:^|[。！？!?\n])\s*([^\s，,。；;：:（()）、]{2,14}?)\s*(?:[（(][^）)\n]{1,60}[）)])?\s*"
                      r"(?:是指|是一种|是一类|是一个|指的是|是)")


def open_vocabulary(documents: Iterable[ParsedDocument]) -> set[str]:
    """Every term the documents put forward or repeat, by the termhood rules of this module."""
    marked: list[str] = []
    labels: list[tuple[str, str]] = []  # (label, its document's text)
    counts: Counter[str] = Counter()
    for document in documents:
        prose = "\n".join(block.text for block in document.blocks if block.kind != "code")
        for block in document.blocks:
            if block.kind == "code" or not block.text.strip():
                continue
            text = block.text
            if block.kind == "heading" or block.is_lead:
                marked.append(_NUMBERING.sub("", text).strip().strip("*_:：?？ "))
            label = _LABEL.match(text) or (_DASH_LABEL.match(text) if block.kind == "item" else None)
            if label:
                labels.append((_NUMBERING.sub("", label.group(1)).split(" by ")[0].strip(), prose))
            bold = [_NUMBERING.sub("", run).strip().rstrip(":：") for run in block.bold]
            marked += [run for run in bold if not (label and run == label.group(1).strip("*_ "))]
            marked += [match.group(1) for match in _DEFINED.finditer(text)]
            marked += [match.group(0) for match in _CLASSIFIED_NAME.finditer(text)]
            marked += [match.group(1) for match in _CALLED.finditer(text)]
            marked += [match.group(1) for match in _KIND_NAMED.finditer(text) if _term_shaped(match.group(1))]
            marked += enumerated(text)
            marked += listed(text)
            counts.update(cjk_compounds(text))
            counts.update(english_compounds(text))
            for name, inside_chinese in latin_terms(text):
                if _crosses_bold(name, text, block.bold):
                    continue  # "**Direct Preference Optimization** Directly optimizes": the bold run ends the name
                if any(is_name_word(word) for word in name.split()) or (inside_chinese and len(name.split()) > 1):
                    marked.append(name)
    # A line label ('参数量:', '折中方案:') is mostly an aspect of the topic above; it names a term when the notes
    # also use it in their sentences ('主动学习：采用主动学习的方法…').
    as_label = Counter(label for label, _ in labels)
    marked += [label for label, prose in labels if _term_shaped(label) or prose.count(label) > as_label[label]]
    return termhood(counts, marked)


def _may_overlap(name: str, run: str) -> bool:
    """Whether two strings could overlap in a text: one holds the other, or an end of one begins the other."""
    return bool(run) and (run in name or name in run or any(name.startswith(run[i:]) for i in range(1, len(run)))
                          or any(run.startswith(name[i:]) for i in range(1, len(name))))


def _crosses_bold(name: str, text: str, bold: list[str]) -> bool:
    """Whether the name runs over the edge of a bold run: part of it is bold and part is not."""
    if not any(_may_overlap(name, run) for run in bold):
        return False  # no bold run could overlap it: no search through a long block for each name
    start = text.find(name)
    if start < 0:
        return False
    end = start + len(name)
    for run in bold:
        at = text.find(run)
        overlaps = at >= 0 and at < end and start < at + len(run)
        if overlaps and not (at <= start and end <= at + len(run)):
            return True
    return False


def enumerated(text: str) -> list[str]:
    """Members of a list the sentence enumerates ('如随机采样、分层采样等'): each is a name if term-shaped.

    >>> enumerated("可以使用一些采样方法，如随机采样、分层采样等。")
    ['随机采样', '分层采样']
    """
    members: list[str] = []
    for cue in _ENUMERATION_CUE.finditer(text):
        tail = re.split(r"[。;；:：!?！？()（）\n]|等|etc", text[cue.end():], maxsplit=1)[0]
        parts = [_CLASSIFIER_END.sub("", part.strip(" *_\"“”")) for part in _LIST_SEPARATOR.split(tail)]
        if len(parts) >= 2:
            members += [part for part in parts if part and len(part) <= 24 and _term_shaped(part)]
    return members


_LISTED_RUN = re.compile(r"[\u3400-\u9fff]{2,16}(?:、[\u3400-\u9fff]{2,16})+")


def listed(text: str) -> list[str]:
    """Members of a list joined by 、 ('结构化剪枝、非结构化剪枝'): each that ends in a head noun is a name, as its
    neighbours are, even when the notes say it once. The first member loses the words of the clause before it.

    >>> listed("可以划分为结构化剪枝、非结构化剪枝等方式")
    ['结构化剪枝', '非结构化剪枝']
    """
    members: list[str] = []
    for run in _LISTED_RUN.finditer(text):
        parts = run.group(0).split("、")
        words = name_words(parts[0])
        cut = max((i for i, word in enumerate(words) if word in NOT_MODIFIERS or (len(word) == 1 and
                   word in _FUNCTION_CHARS)), default=-1)
        parts[0] = "".join(words[cut + 1:])
        parts[-1:] = re.split(r"和|及|与|或", parts[-1].split("等")[0])
        named = [part for part in parts if len(part) >= 2 and _term_shaped(part)]
        if len(named) >= 2:
            members += named
    return members


def _term_shaped(label: str) -> bool:
    """A label that ends in a technical head noun or is shaped like a name ('Quality filtering', '主动学习', 'GAE'),
    unlike an aspect ('折中方案', '参数量', 'Architectural overview')."""
    if has_cjk(label):
        words = name_words("".join(_CJK_RUN.findall(label)))
        return bool(words) and _is_head(words[-1])
    words = label.split()
    return bool(words) and (words[-1].lower().rstrip("s") in _ENGLISH_HEADS or words[-1].lower() in _ENGLISH_HEADS
                            or any(is_acronym(w) or _CAMEL.match(w) for w in words))
