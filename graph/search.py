"""Concept search for a search box: exact, prefix and substring matches on names and aliases, then fuzzy ones.

Every label is compared in its normalised form (NFKC, case-folded, traditional to simplified Chinese, joiners
dropped), so "rope", "ＲｏＰＥ" and "旋轉位置編碼" all find RoPE.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz import fuzz, process

from graph.models import Concept, KnowledgeGraph
from graph.normalize import concept_key

# Rank tiers: a name that starts with the query beats one that merely contains it, which beats a near spelling.
_EXACT, _PREFIX, _CONTAINS = 100.0, 90.0, 75.0
_FUZZY_CUTOFF = 70.0
_FUZZY_CEILING = 70.0  # fuzzy scores are squeezed below every literal match
_FUZZY_WHEN_FEWER = 10
_SEPARATOR = "\x00"


@dataclass(frozen=True)
class SearchHit:
    """A concept that matches the query, the label that matched and how well (0–100)."""

    concept: Concept
    matched: str
    score: float


class ConceptSearch:
    """Normalised labels of every concept, built once per graph and shared by every query.

    Prefixes are found by bisection in the sorted labels and substrings by `str.find` over all labels joined,
    so a query costs about the number of its hits, not a Python loop over every label.
    """

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.concepts = sorted(graph.concepts, key=lambda c: (-c.mentions, c.name))
        labelled: list[tuple[str, int, str]] = []  # (normalised label, concept position, label as written)
        for position, concept in enumerate(self.concepts):
            for label in dict.fromkeys((concept.name, *concept.aliases)):
                key = concept_key(label)
                if key and _SEPARATOR not in key:
                    labelled.append((key, position, label))
        labelled.sort()
        self.keys = [key for key, _, _ in labelled]
        self.owners = [(position, label) for _, position, label in labelled]
        self.joined = _SEPARATOR.join(self.keys)
        self.starts = list(accumulate((len(key) + 1 for key in self.keys[:-1]), initial=0))

    def search(self, query: str, kind: str | None = None) -> list[SearchHit]:
        """Every matching concept, best first (score, then mentions); an empty query lists all by mentions.

        Close spellings (rapidfuzz QRatio, the cheap whole-label ratio) are looked for only when nothing matches
        exactly and the literal matches are few: a typo finds its concept, a prefix that already matches many
        does not pay for a fuzzy pass over every label.
        """
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

        first = bisect_left(self.keys, key)
        for index in range(first, len(self.keys)):
            label_key = self.keys[index]
            if not label_key.startswith(key):
                break
            offer(index, _EXACT if label_key == key else _PREFIX - min(len(label_key) - len(key), 9))
        found = self.joined.find(key)
        while found >= 0:
            index = bisect_right(self.starts, found) - 1
            if found > self.starts[index]:  # not at the label's start: prefixes were scored above
                offer(index, _CONTAINS - min(len(self.keys[index]) - len(key), 9))
            found = self.joined.find(key, found + 1)
        if len(key) >= 3 and len(best) < _FUZZY_WHEN_FEWER and _EXACT not in (s for s, _ in best.values()):
            for _, score, index in process.extract(key, self.keys, scorer=fuzz.QRatio, limit=25,
                                                   score_cutoff=_FUZZY_CUTOFF):
                offer(index, _FUZZY_CEILING * score / 100.0 - 1.0)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [SearchHit(self.concepts[position], label, round(score, 2)) for position, (score, label) in ranked]
