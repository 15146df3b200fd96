"""Merge per-document graphs into one KnowledgeGraph: one concept per name, evidence pooled per relation."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from graph.bulk import long_lived
from graph.models import Concept, DocumentGraph, Evidence, KnowledgeGraph, Relation, RelationType
from graph.normalize import concept_key, normalize_text

MIN_TERM_MENTIONS = 2
_COMPATIBLE_KINDS = [
    frozenset({"mechanism", "technique", "method", "algorithm", "family", "activation", "loss", "optimizer"}),
    frozenset({"model", "architecture"}),
]
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_GENERIC_HEADS = frozenset(concept_key(w) for w in ["模型", "算法", "学习", "机制", "函数", "损失", "网络", "优化", "训练", "model", "loss"])


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _is_lexicon(concept: Concept) -> bool:
    return "lexicon" in concept.signals


def _group_concepts(graphs: list[DocumentGraph]) -> dict[str, str]:
    """Map every document-level concept id to its merged id (shared labels join; two lexicon concepts never)."""
    by_id: dict[str, list[Concept]] = defaultdict(list)
    for graph in graphs:
        for concept in graph.concepts:
            by_id[concept.id].append(concept)
    groups = _UnionFind()
    owner: dict[str, str] = {}
    lexicon_root: dict[str, str] = {}
    for concept_id in sorted(by_id, key=lambda cid: (not any(_is_lexicon(c) for c in by_id[cid]), cid)):
        groups.find(concept_id)
        if any(_is_lexicon(c) for c in by_id[concept_id]):
            lexicon_root[concept_id] = concept_id
        for concept in by_id[concept_id]:
            for label in (concept.name, *concept.aliases):
                key = concept_key(label)
                other = owner.setdefault(key, concept_id)
                root_a, root_b = groups.find(other), groups.find(concept_id)
                if root_a == root_b:
                    continue
                lex_a, lex_b = lexicon_root.get(root_a), lexicon_root.get(root_b)
                if lex_a and lex_b:
                    continue
                groups.union(root_b, root_a)
                if lex_b and not lex_a:
                    lexicon_root[root_a] = lex_b
    members: dict[str, list[str]] = defaultdict(list)
    for concept_id in by_id:
        members[groups.find(concept_id)].append(concept_id)
    mapping: dict[str, str] = {}
    for ids in members.values():
        lexicon_ids = [cid for cid in ids if cid in lexicon_root.values() and any(_is_lexicon(c) for c in by_id[cid])]
        chosen = sorted(lexicon_ids)[0] if lexicon_ids else max(
            ids, key=lambda cid: (sum(c.mentions for c in by_id[cid]), -len(cid), cid))
        for cid in ids:
            mapping[cid] = chosen
    return mapping


def _merge_concept(concept_id: str, parts: list[Concept]) -> Concept:
    primary = next((c for c in parts if c.id == concept_id and _is_lexicon(c)), None) or next(
        (c for c in parts if c.id == concept_id), parts[0])
    aliases = dict.fromkeys(a for c in parts for a in (c.name, *c.aliases))
    aliases.pop(primary.name, None)
    return Concept(
        id=concept_id, name=primary.name, aliases=list(aliases),
        kind=next((c.kind for c in parts if c.kind), None),
        definition=next((c.definition for c in parts if c.definition), None),
        definition_source=next((c.definition_source for c in parts if c.definition), None),
        mentions=sum(c.mentions for c in parts), locations=[loc for c in parts for loc in c.locations],
        signals=list(dict.fromkeys(s for c in parts for s in c.signals)),
        example=next((c.example for c in parts if c.example), None),
    )


def merge_graphs(graphs: Iterable[DocumentGraph]) -> KnowledgeGraph:
    """The whole graph from its documents; deterministic for the same set of documents. Built as long-lived
    data: it becomes the store's cached graph and the server's snapshot."""
    with long_lived():
        return _merge(list(graphs))


def _merge(graphs: list[DocumentGraph]) -> KnowledgeGraph:
    ordered = sorted(graphs, key=lambda g: g.document.id)
    mapping = _group_concepts(ordered)
    parts: dict[str, list[Concept]] = defaultdict(list)
    for graph in ordered:
        for concept in graph.concepts:
            parts[mapping[concept.id]].append(concept)
    concepts = {cid: _merge_concept(cid, found) for cid, found in sorted(parts.items())}
    concepts = {cid: c for cid, c in concepts.items() if c.signals != ["term"] or c.mentions >= MIN_TERM_MENTIONS}
    pooled: dict[tuple[str, str, RelationType], list[Relation]] = defaultdict(list)
    for graph in ordered:
        for relation in graph.relations:
            source, target = mapping.get(relation.source), mapping.get(relation.target)
            if source is None or target is None or source == target:
                continue
            if source not in concepts or target not in concepts:
                continue
            if relation.type.symmetric and source > target:
                source, target = target, source
            pooled[(source, target, relation.type)].append(relation)
    stated = {frozenset((s, t)): found[0].evidence[0] for (s, t, kind), found in pooled.items()
              if kind is RelationType.COMPARED_WITH and found[0].evidence}
    for relation in name_relations(list(concepts.values()), stated):
        pooled[(relation.source, relation.target, relation.type)].append(relation)
    typed_pairs = {frozenset((s, t)) for s, t, kind in pooled if kind.typed}
    relations = [
        _pool(key, found) for key, found in sorted(pooled.items(), key=lambda item: (item[0][0], item[0][1], item[0][2].value))
        if key[2].typed or frozenset(key[:2]) not in typed_pairs
    ]
    return KnowledgeGraph(documents=[g.document for g in ordered], concepts=list(concepts.values()), relations=relations)


def _pool(key: tuple[str, str, RelationType], found: list[Relation]) -> Relation:
    evidence: dict[tuple[str, int, str], Evidence] = {}
    for relation in found:
        for item in relation.evidence:
            evidence.setdefault((item.document, item.line, item.text), item)
    remaining = 1.0
    for relation in found:
        remaining *= 1.0 - relation.confidence
    kept = list(evidence.values())
    if key[2] is RelationType.RELATED_TO:
        kept = kept[:5]
    firsts = Counter({r.first: 0 for r in found if r.first})
    for relation in found:
        if relation.first:
            firsts[relation.first] += relation.weight
    ranked = firsts.most_common(2)
    first = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    return Relation(source=key[0], target=key[1], type=key[2], confidence=round(min(0.99, 1 - remaining), 3),
                    weight=sum(r.weight for r in found), evidence=kept, first=first)


def _kinds_compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return any(a in group and b in group for group in _COMPATIBLE_KINDS)


def _head_candidates(label: str) -> list[tuple[str, RelationType, str]]:
    """Shorter names a concept name is built on: its head ('Byte-Level BPE' -> 'BPE'), its stem
    ('AdamW' -> 'Adam', 'ZeRO-3' -> 'ZeRO'), its base ('QLoRA' -> 'LoRA'), a modifier ('NTK-Aware ROPE Scaling' -> 'ROPE').
    """
    text = normalize_text(label).strip()
    found: list[tuple[str, RelationType, str]] = []
    if re.search(r"[\u3400-\u9fff]", text):
        for start in range(1, len(text) - 1):
            found.append((text[start:], RelationType.VARIANT_OF, "name:head"))
        return found
    words = re.split(r"[ -]", text)
    for start in range(1, len(words)):
        found.append((" ".join(words[start:]), RelationType.VARIANT_OF, "name:head"))
        for end in range(start + 1, len(words)):
            found.append((" ".join(words[start:end]), RelationType.USES, "name:modifier"))
    stem = re.match(r"^(.{3,}?)(?:-?\d+(?:\.\d+)?|[A-Za-z])$", label.strip())
    if stem and " " not in label:
        found.append((normalize_text(stem.group(1)), RelationType.VARIANT_OF, "name:stem"))
    camel = _CAMEL_SPLIT.split(label.strip())
    if len(camel) > 1 and " " not in label:
        found.append((normalize_text("".join(camel[1:])), RelationType.VARIANT_OF, "name:head"))
    if " " not in label and "-" not in label:
        for cut in (1, 2, 3):
            if len(label) - cut >= 3:
                found.append((normalize_text(label[cut:]), RelationType.EXTENDS, "name:base"))
    return found


def name_relations(concepts: list[Concept], stated: dict[frozenset[str], Evidence]) -> list[Relation]:
    """Which way a compound name points ('QLoRA' is built on 'LoRA'), kept only for a pair that a sentence
    compares (`stated`: the evidence per compared pair, 'LoRA vs QLoRA'): the sentence says the two are related,
    the name says which is built on which, and that sentence is the evidence. The name alone states nothing."""
    by_key: dict[str, Concept] = {}
    for concept in concepts:
        for label in (concept.name, *concept.aliases):
            key = concept_key(label)
            if len(key) >= 2:
                by_key.setdefault(key, concept)
    relations: list[Relation] = []
    for concept in concepts:
        best: dict[RelationType, tuple[int, Concept, str]] = {}
        for label in (concept.name, *concept.aliases):
            for candidate, relation_type, rule in _head_candidates(label):
                key = concept_key(candidate)
                other = by_key.get(key)
                if (other is None or other.id == concept.id or (len(key) < 3 and not re.search(r"[\u3400-\u9fff]", key))
                        or key in _GENERIC_HEADS or not _kinds_compatible(concept.kind, other.kind)):
                    continue
                if relation_type not in best or len(key) > best[relation_type][0]:
                    best[relation_type] = (len(key), other, rule)
        taken: set[str] = set()
        for relation_type, (_, other, rule) in sorted(best.items(), key=lambda item: -item[1][0]):
            sentence = stated.get(frozenset((concept.id, other.id)))
            if other.id in taken or sentence is None:
                continue
            taken.add(other.id)
            evidence = sentence.model_copy(update={"rule": f"{rule}+{sentence.rule}"})
            relations.append(Relation(source=concept.id, target=other.id, type=relation_type, confidence=0.5,
                                      evidence=[evidence]))
    return relations
