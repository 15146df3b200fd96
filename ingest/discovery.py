"""Concepts the lexicon lacks, found from strong signals: bracketed alias pairs, bold terms and tag values."""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.normalize import concept_key, slugify
from ingest.lexicon import ConceptEntry, ConceptIndex
from ingest.markdown import ParsedDocument, parse_metadata, parse_tags
from ingest.terms import has_cjk, is_acronym, is_plausible_term

_BRACKETED = re.compile(r"[(（]\s*([^()（）\n]{1,60}?)\s*[)）]")
_LEFT_STOPS = "()（）\n"
_LEFT_CHARS = 80
_TRAILING_ENGLISH = re.compile(r"([A-Za-z][A-Za-z0-9+#.'-]*(?: [A-Za-z0-9][A-Za-z0-9+#.'-]*){0,5})\s*$")
_TRAILING_CJK = re.compile(r"([\u3400-\u9fff]{2,10})\s*$")
_LEADING_NUMBER = re.compile(r"^\s*(?:\d+[.、)]|[(（]\d+[)）]|[·●•◆■▪-])\s*")
_ACRONYM_BESIDE_NAME = re.compile(r"^[\s【\[(（·●•#*_0-9.、]*([A-Z][A-Za-z0-9]{1,7})\s+([^\s(（【\[].{1,30}?)[\s】\])）*_:：]*$")
_TAG_LABEL = re.compile(r"[标Tt](?:签|[Aa][Gg][Ss])")  # 标签 or tags in any case; led by a set of characters: fast
_FUNCTION_CHARS = "的是和与或及在对将把被用为了中从到由等即也就都还而并但通过使用采用来比如例如"


def _cjk_name(run: str) -> str:
    """The concept at the end of a run of Chinese characters, cut after the last function character."""
    cut = max(run.rfind(ch) for ch in _FUNCTION_CHARS)
    return run[cut + 1:] if cut >= 0 else run


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
        left, inner = _LEADING_NUMBER.sub("", left), match.group(1).strip()
        if not is_plausible_term(inner) and not is_acronym(inner):
            continue
        if is_acronym(left.strip()) and not has_cjk(inner) and not _initials_cover(inner.split(), left.strip()):
            continue
        if has_cjk(inner):
            name = _english_name_for(left, None) if not has_cjk(left[-1:]) else None
        elif is_acronym(inner) and not has_cjk(left[-1:]):
            name = _english_name_for(left, inner)
        else:
            trailing = _TRAILING_CJK.search(left) or _TRAILING_ENGLISH.search(left)
            name = _cjk_name(trailing.group(1)) if trailing and has_cjk(trailing.group(1)) else (
                trailing.group(1).split()[-1] if trailing and is_acronym(trailing.group(1).split()[-1]) else None)
            if name and is_acronym(name) and not _initials_cover(inner.split(), name):
                continue
        if name and (is_plausible_term(name) or is_acronym(name)) and concept_key(name) != concept_key(inner):
            pairs.append((name.strip(), inner))
    return pairs


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


def _bold_terms(document: ParsedDocument) -> Iterable[str]:
    for block in document.blocks:
        for run in block.bold:
            run = _LEADING_NUMBER.sub("", run).strip().rstrip(":：")
            if "(" in run or "（" in run:
                continue
            if is_plausible_term(run):
                yield run


def _tag_terms(document: ParsedDocument) -> Iterable[str]:
    for block in document.blocks:
        if not _TAG_LABEL.search(block.text):
            continue  # most blocks hold no tag line: skip parsing their metadata
        metadata = parse_metadata(block.text)
        tags = metadata.get("标签") or metadata.get("tags")
        for tag in parse_tags(tags or ""):
            if is_plausible_term(tag):
                yield tag


def discover_concepts(documents: Iterable[ParsedDocument], index: ConceptIndex) -> ConceptIndex:
    """Add discovered names and alias pairs to the index (aliases of known concepts join them)."""
    for document in documents:
        for block in document.blocks:
            for name, alias in bracket_pairs(block.text):
                _add_pair(index, name, alias)
            if block.kind == "heading" or block.is_lead:
                found = acronym_beside_name(block.text, index)
                if found:
                    index.add_alias(*found)
        for term in (*_bold_terms(document), *_tag_terms(document)):
            if index.find(term) is None:
                index.add(ConceptEntry(slugify(term), term, [], None, ["discovered"]))
    return index


def _add_pair(index: ConceptIndex, name: str, alias: str) -> None:
    """Merge an alias pair into the index without ever joining two different known concepts."""
    first, second = index.find(name), index.find(alias)
    if first and second:
        return
    if first or second:
        known = first or second
        assert known is not None
        new_label = alias if first else name
        # A gloss in Chinese after a known term is often an explanation, not a name: lexicon concepts
        # take only Latin-script aliases from the notes.
        if "lexicon" not in known.signals or not has_cjk(new_label):
            index.add_alias(known, new_label)
        return
    entry_id = slugify(name)
    if entry_id in index.by_id:
        entry_id = slugify(f"{name} {alias}")
    index.add(ConceptEntry(entry_id, name, [alias], None, ["discovered"]))
