"""Concepts the lexicon lacks, found from strong signals: bracketed alias pairs, bold terms and tag values."""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.normalize import concept_key, slugify
from ingest.lexicon import ConceptEntry, ConceptIndex
from ingest.markdown import ParsedDocument, parse_metadata, parse_tags
from ingest.terms import has_cjk, is_acronym, is_plausible_term
from ingest.vocabulary import NOT_MODIFIERS, is_name_word, name_words, open_vocabulary, plausible_name, word_set

_BRACKETED = re.compile(r"[(（]\s*([^()（）\n]{1,60}?)\s*[)）]")
_LEFT_STOPS = "()（）\n"
_LEFT_CHARS = 80
_TRAILING_ENGLISH = re.compile(r"([A-Za-z][A-Za-z0-9+#.'-]*(?: [A-Za-z0-9][A-Za-z0-9+#.'-]*){0,5})\s*$")
_TRAILING_CJK = re.compile(r"([\u3400-\u9fff]{2,10})\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(?:\d+[.、)]|[(（]\d+[)）]|[·●•◆■▪-])\s*")
_ACRONYM_BESIDE_NAME = re.compile(r"^[\s【\[(（·●•#*_0-9.、]*([A-Z][A-Za-z0-9]{1,7})\s+([^\s(（【\[].{1,30}?)[\s】\])）*_:：]*$")
_TAG_LABEL = re.compile(r"[标Tt](?:签|[Aa][Gg][Ss])")  # 标签 or tags in any case; led by a set of characters: fast
# A Latin name followed by a Chinese word that only says what sort of thing it is.
_CLASSIFIED = re.compile(r"^([A-Za-z][A-Za-z0-9 .+#-]*[A-Za-z0-9+#])\s*(?:函数|算法|模型|方法|技术|机制|架构|框架|激活函数|量化|优化器)$")
# 'RL techniques', 'LoRA methods': a name followed by a word that only says what sort of thing it is.
_CLASSIFIED_ENGLISH = re.compile(r"^(.+?)\s+(?:techniques?|methods?|algorithms?|approach(?:es)?|strateg(?:y|ies)|"
                                 r"frameworks?|models?|architectures?|variants?)$", re.IGNORECASE)
_CLIPPED = re.compile(r"[A-Z][A-Za-z]*-[A-Z][A-Za-z]*")
_SHARED_HEADS = ("Attention", "Decoding", "Search", "Sampling", "Parallelism", "Quantization", "Normalization",
                 "Training", "Learning", "Tuning")
_LEADING_FILLER = word_set("a an the this that is are was were be called named known as of for to in on with and "
                            "or by from uses use using via its their our")
_FUNCTION_CHARS = "的是和与或及在对将把被用为了中从到由等即也就都还而并但通过使用采用来比如例如"


def _cjk_name(run: str, words: int = 0) -> str:
    """The concept at the end of a run of Chinese characters: after the last function word (jieba's words, so
    '对齐' keeps its 对), then, when the other side of the pair has `words` English words, about as many words.

    >>> _cjk_name("DPO也是基于偏好数据", 2), _cjk_name("对齐语言模型", 2), _cjk_name("讨论的对象是编码器")
    ('偏好数据', '对齐语言模型', '编码器')
    """
    pieces = list(name_words(run))
    cut = max((i for i, piece in enumerate(pieces) if piece in NOT_MODIFIERS or (
        len(piece) == 1 and piece in _FUNCTION_CHARS)), default=-1)
    pieces = pieces[cut + 1:] or pieces[-1:]
    if words:
        while len(pieces) > max(words, 1) + 1:
            pieces = pieces[1:]
    return "".join(pieces)


def _initials_cover(words: list[str], acronym: str) -> bool:
    """Schwartz-Hearst style check: the acronym's letters appear, in order, among the words' initials."""
    initials = "".join(part[0] for word in words for part in word.split("-") if part).lower()
    letters = [ch for ch in acronym.lower() if ch.isalpha()]
    position = 0
    for ch in initials:
        if position < len(letters) and ch == letters[position]:
            position += 1
    return bool(letters) and position == len(letters) and initials[:1] == letters[0]


def _english_name_for(left: str, acronym: str | None) -> str | None:
    """The English phrase before a bracket, trimmed to the words the acronym abbreviates."""
    match = _TRAILING_ENGLISH.search(left)
    if not match:
        return None
    words = match.group(1).split()
    while len(words) > 1 and not is_name_word(words[0]) and words[0].lower() in _LEADING_FILLER:
        words = words[1:]
    if acronym:
        for start in range(len(words)):
            if _initials_cover(words[start:], acronym):
                return " ".join(words[start:])
        return None
    return " ".join(words[-4:])


def _left_of(text: str, bracket: int) -> str:
    """The words before a bracket: up to 80 characters back to the line start or another bracket.

    Found by looking back from each bracket: a pattern scanning forward for them retried every start position.
    """
    end = bracket
    while end and text[end - 1].isspace():  # not text[:bracket].rstrip(): a long block would be copied per bracket
        end -= 1
    window = text[max(0, end - _LEFT_CHARS):end]
    return window[max(window.rfind(ch) for ch in _LEFT_STOPS) + 1:]


def bracket_pairs(text: str) -> list[tuple[str, str]]:
    """Alias pairs written as 'name (other name)': 旋转位置编码（RoPE）, ALiBi (Attention with Linear Biases).

    >>> bracket_pairs("·ROPE（旋转位置编码）与 Grouped-Query Attention (GQA)")
    [('ROPE', '旋转位置编码'), ('Grouped-Query Attention', 'GQA')]
    """
    pairs: list[tuple[str, str]] = []
    if "(" not in text and "（" not in text:
        return pairs
    for match in _BRACKETED.finditer(text):
        left = _left_of(text, match.start())
        if not left:
            continue
        left = _LEADING_NUMBER.sub("", left)
        parts = _alias_parts(match.group(1))
        # "知识蒸馏（Knowledge Distillation, KD）": the full name places the pair, the acronym joins it.
        spelled = [part for part in parts if not is_acronym(part)] or parts
        pair = _pair_for(left, spelled[0])
        if pair is None:
            continue
        name = pair[0]
        for part in parts:
            joins = part == spelled[0] or (is_acronym(part) and (
                (has_cjk(name) and _initials_cover(spelled[0].split(), part)) or _initials_cover(name.split(), part)))
            if joins and concept_key(name) != concept_key(part) and (name, part) not in pairs:
                pairs.append((name, part))
    return pairs


def _alias_parts(inner: str) -> list[str]:
    """'Knowledge Distillation, KD' holds two names of one thing; a single name stays whole."""
    parts = [part.strip() for part in re.split(r"[,，;；、]", inner) if part.strip()]
    return parts if 1 < len(parts) <= 3 else [inner.strip()]


def _pair_for(left: str, inner: str) -> tuple[str, str] | None:
    """The name before a bracket that `inner` is another name of, if the two read as an alias pair."""
    if True:
        gloss = has_cjk(inner) and not has_cjk(left[-1:]) and plausible_name(inner)  # "Weight packing（权重打包）"
        if not (is_plausible_term(inner) or is_acronym(inner) or _names_a_term(inner) or gloss):
            return None
        if is_acronym(left.strip()) and not has_cjk(inner) and not _initials_cover(inner.split(), left.strip()):
            return None
        if has_cjk(inner):
            name = _english_name_for(left, None) if not has_cjk(left[-1:]) else None
        elif is_acronym(inner) and not has_cjk(left[-1:]):
            name = _english_name_for(left, inner)
        else:
            trailing = _TRAILING_CJK.search(left) or _TRAILING_ENGLISH.search(left)
            words = sum(ch.isupper() for ch in inner) if is_acronym(inner) else len(inner.split())
            name = _cjk_name(trailing.group(1), words) if trailing and has_cjk(trailing.group(1)) else (
                trailing.group(1).split()[-1] if trailing and is_acronym(trailing.group(1).split()[-1]) else None)
            if name and is_acronym(name) and not _initials_cover(inner.split(), name):
                return None
        # The pairing itself says both sides are names: a Chinese name needs no technical head here.
        name_ok = name and (is_plausible_term(name) or is_acronym(name) or plausible_name(name))
        if name_ok and name and concept_key(name) != concept_key(inner):
            return name.strip(), inner
    return None


def _names_a_term(text: str) -> bool:
    """English inside a bracket after a Chinese name: a short phrase of words, not a clause."""
    words = text.split()
    return not has_cjk(text) and 1 <= len(words) <= 5 and plausible_name(text)


def acronym_beside_name(text: str, index: ConceptIndex) -> tuple[ConceptEntry, str] | None:
    """A heading such as '【LR 逻辑回归】': an acronym written next to a known name whose English form it abbreviates.

    >>> from ingest.lexicon import ConceptEntry, ConceptIndex
    >>> index = ConceptIndex([ConceptEntry("logistic-regression", "logistic regression", ["逻辑回归"], None, [])])
    >>> entry, alias = acronym_beside_name("## 【LR 逻辑回归】", index)
    >>> entry.id, alias
    ('logistic-regression', 'LR')
    """
    match = _ACRONYM_BESIDE_NAME.match(text.lstrip("#"))
    if not match or not is_acronym(match.group(1)):
        return None
    acronym, entry = match.group(1), index.find(match.group(2))
    if entry is None or index.find(acronym) is not None:
        return None
    english = [label for label in entry.labels() if not has_cjk(label) and " " in label]
    if any(_initials_cover(label.split(), acronym) and len(label.split()) == len(acronym) for label in english):
        return entry, acronym
    return None


def _tag_terms(document: ParsedDocument) -> Iterable[str]:
    for block in document.blocks:
        if not _TAG_LABEL.search(block.text):
            continue  # most blocks hold no tag line: skip parsing their metadata
        metadata = parse_metadata(block.text)
        tags = metadata.get("标签") or metadata.get("tags")
        for tag in parse_tags(tags or ""):
            if is_plausible_term(tag) and plausible_name(tag):
                yield tag


def discover_concepts(documents: Iterable[ParsedDocument], index: ConceptIndex) -> ConceptIndex:
    """Add discovered names and alias pairs to the index (aliases of known concepts join them)."""
    documents = list(documents)
    for document in documents:
        _add_stated_names(document, index)
    for term in sorted(open_vocabulary(documents), key=lambda t: (_CLIPPED.fullmatch(t) is not None, t)):
        _add_term(index, term)
    return index


def note_concepts(document: ParsedDocument, index: ConceptIndex, tagged: Iterable[str]) -> ConceptIndex:
    """Add one note's names to the index: those the concept tagger found in it, and the alias pairs and tags its
    structure states (the trained pipeline's vocabulary, note by note)."""
    _add_stated_names(document, index)
    for name in sorted(set(tagged), key=lambda t: (_CLIPPED.fullmatch(t) is not None, t)):
        _add_term(index, name)
    return index


def _add_stated_names(document: ParsedDocument, index: ConceptIndex) -> None:
    """The names a note states by its form: 'name (alias)' pairs, an acronym beside its name in a heading or a
    lead line, and the note's tags."""
    for block in document.blocks:
        for name, alias in bracket_pairs(block.text):
            _add_pair(index, name, alias)
        if block.kind == "heading" or block.is_lead:
            found = acronym_beside_name(block.text, index)
            if found:
                index.add_alias(*found)
    for term in _tag_terms(document):
        if index.find(term) is None:
            index.add(ConceptEntry(slugify(term), term, [], None, ["discovered"]))


def _add_term(index: ConceptIndex, term: str) -> None:
    """A new concept, unless the index knows it; 'Sigmoid函数', 'Per-tensor量化' join the name they classify."""
    if index.find(term) is not None:
        return
    if _CLIPPED.fullmatch(term):
        # 'Sliding-Window' from 'Sliding-Window, Full-Context Attention': a hyphenated modifier is the known
        # name it begins, with the shared head left out, never a concept of its own.
        whole = next((index.find(f"{term} {head}") for head in _SHARED_HEADS if index.find(f"{term} {head}")), None)
        if whole is not None:
            index.add_alias(whole, term)
            return
    classified = _CLASSIFIED.match(term) or _CLASSIFIED_ENGLISH.match(term)
    if classified and (has_cjk(term) or all(is_name_word(w) for w in classified.group(1).split())):
        base = index.find(classified.group(1)) or index.add(
            ConceptEntry(slugify(classified.group(1)), classified.group(1), [], None, ["discovered"]))
        index.add_alias(base, term)
        return
    index.add(ConceptEntry(slugify(term), term, [], None, ["discovered"]))


def _add_pair(index: ConceptIndex, name: str, alias: str) -> None:
    """Merge an alias pair into the index without ever joining two different known concepts."""
    first, second = index.find(name), index.find(alias)
    if first and second:
        return
    if first or second:
        known = first or second
        assert known is not None
        new_label = alias if first else name
        # A gloss in Chinese after a known term is often an explanation, not a name: lexicon concepts take a
        # Chinese alias from the notes only as the name an acronym abbreviates ('多层感知器（MLP）').
        if "lexicon" not in known.signals or not has_cjk(new_label) or (new_label == name and is_acronym(alias)):
            index.add_alias(known, new_label)
        return
    entry_id = slugify(name)
    if entry_id in index.by_id:
        entry_id = slugify(f"{name} {alias}")
    index.add(ConceptEntry(entry_id, name, [alias], None, ["discovered"]))
