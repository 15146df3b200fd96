"""Concept search for a search box: exact, prefix and substring matches on names and aliases, then fuzzy ones.

Every label is compared in its normalised form (NFKC, case-folded, traditional to simplified Chinese, joiners
dropped), so "rope", "ＲｏＰＥ" and "旋轉位置編碼" all find RoPE.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.models import Concept, KnowledgeGraph
from graph.normalize import concept_key

# Rank tiers: a name that starts with the query beats one that merely contains it, which beats a near spelling.
_EXACT, _PREFIX, _CONTAINS = 100.0, 90.0, 75.0
_FUZZY_CUTOFF = 70.0
_FUZZY_CEILING = 70.0  # fuzzy scores are squeezed below every literal match


@dataclass(frozen=True)
class SearchHit:
    """A concept that matches the query, the label that matched and how well (0–100)."""

    concept: Concept
    matched: str
    score: float


class ConceptSearch:
    """Normalised labels of every concept, built once per graph and shared by every query."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.concepts = sorted(graph.concepts, key=lambda c: (-c.mentions, c.name))
        self.keys: list[str] = []
        self.owners: list[tuple[int, str]] = []  # per key: (concept position, the label as written)
        for position, concept in enumerate(self.concepts):
            for label in dict.fromkeys((concept.name, *concept.aliases)):
                key = concept_key(label)
                if key:
                    self.keys.append(key)
                    self.owners.append((position, label))

    def search(self, query: str, kind: str | None = None) -> list[SearchHit]:
        """Every matching concept, best first (score, then mentions); an empty query lists all by mentions."""
        key = concept_key(query)
        if not key:
            return [SearchHit(c, c.name, 0.0) for c in self.concepts if kind is None or c.kind == kind]
        best: dict[int, tuple[float, str]] = {}

        def offer(index: int, score: float) -> None:
            position, label = self.owners[index]
            if kind is not None and self.concepts[position].kind != kind:
                return
            if score > best.get(position, (-1.0, ""))[0]:
                best[position] = (score, label)

        for index, label_key in enumerate(self.keys):
            if label_key == key:
                offer(index, _EXACT)
            elif label_key.startswith(key):
                offer(index, _PREFIX - min(len(label_key) - len(key), 9))
            elif key in label_key:
                offer(index, _CONTAINS - min(len(label_key) - len(key), 9))
        if len(key) >= 3:
            for _, score, index in process.extract(key, self.keys, scorer=fuzz.WRatio, limit=25,
                                                   score_cutoff=_FUZZY_CUTOFF):
                offer(index, _FUZZY_CEILING * score / 100.0 - 1.0)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [SearchHit(self.concepts[position], label, round(score, 2)) for position, (score, label) in ranked]
