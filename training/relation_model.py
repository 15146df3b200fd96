"""Fit and judge the relation model: a multinomial logistic regression (scikit-learn) over the candidates'
features, predicting a type with its direction or NONE; a pair's relation is its most probable candidate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from training.data import AnnotatedNote
from training.relation_data import NONE, SYMMETRIC, Example

DEFAULT_C = 0.5
MIN_FEATURE_COUNT = 2  # a feature seen once says nothing a held-out note can use


@dataclass
class FittedRelations:
    vectorizer: DictVectorizer
    classifier: LogisticRegression
    rule_free: bool = False

    def probabilities(self, examples: Sequence[Example]) -> numpy.ndarray:
        rows = [dict.fromkeys(e.rule_free if self.rule_free else e.features, 1) for e in examples]
        return self.classifier.predict_proba(self.vectorizer.transform(rows))


def fit_relations(examples: Sequence[Example], c: float = DEFAULT_C, rule_free: bool = False,
                  class_weight: str | None = None) -> FittedRelations:
    """Fit on the examples (their order given: deterministic), features seen fewer than twice dropped."""
    counts: dict[str, int] = defaultdict(int)
    for example in examples:
        for feature in set(example.rule_free if rule_free else example.features):
            counts[feature] += 1
    kept = {feature for feature, count in counts.items() if count >= MIN_FEATURE_COUNT}
    rows = [{f: 1 for f in (e.rule_free if rule_free else e.features) if f in kept} for e in examples]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(rows)
    classifier = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight, random_state=0)
    classifier.fit(matrix, [e.label for e in examples])
    return FittedRelations(vectorizer, classifier, rule_free)


@dataclass
class Predicted:
    """A pair's best reading: its label (seen from the candidate's first side), probability and candidate."""

    label: str
    probability: float
    example: Example


def best_per_pair(fitted: FittedRelations, examples: Sequence[Example]) -> dict[tuple[str, frozenset[str]], Predicted]:
    """For each (note, pair), the candidate and non-NONE label with the highest probability."""
    probabilities = fitted.probabilities(examples)
    classes = list(fitted.classifier.classes_)
    none = classes.index(NONE)
    best: dict[tuple[str, frozenset[str]], Predicted] = {}
    for example, row in zip(examples, probabilities, strict=True):
        row = row.copy()
        row[none] = -1.0
        top = int(row.argmax())
        key = (example.note, example.candidate.pair)
        if key not in best or row[top] > best[key].probability:
            best[key] = Predicted(classes[top], float(row[top]), example)
    return best


def is_right(predicted: Predicted, note: AnnotatedNote) -> bool:
    """Whether the annotation relates the pair with this type (any of its accepted types) and direction."""
    candidate = predicted.example.candidate
    relation = predicted.label.rstrip("<>")
    source = candidate.first if predicted.label.endswith(">") or relation == SYMMETRIC else candidate.second
    for record in note.relations:
        if frozenset((record.a, record.b)) != candidate.pair or relation not in record.types:
            continue
        if relation == SYMMETRIC or record.a == source:
            return True
    return False


@dataclass
class Figures:
    gold: int
    kept: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.kept if self.kept else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def figures_at(best: dict[tuple[str, frozenset[str]], Predicted], notes: Sequence[AnnotatedNote],
               threshold: float) -> Figures:
    """Pair-level precision and typed recall of the readings kept at this threshold (gold: every annotated
    relation of the notes, whether or not a candidate reached it)."""
    by_name = {note.name: note for note in notes}
    kept = [p for p in best.values() if p.probability >= threshold]
    right = sum(is_right(p, by_name[p.example.note]) for p in kept)
    return Figures(sum(len(n.relations) for n in notes), len(kept), right)


def precision_by_confidence(best: dict[tuple[str, frozenset[str]], Predicted], notes: Sequence[AnnotatedNote],
                            edges: Sequence[float] = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.01)) -> list[dict[str, object]]:
    """How often a pair's reading is right, by the probability the model gave it (held-out readings)."""
    by_name = {note.name: note for note in notes}
    rows = []
    for low, high in pairwise(edges):
        inside = [p for p in best.values() if low <= p.probability < high]
        right = sum(is_right(p, by_name[p.example.note]) for p in inside)
        rows.append({"from": low, "to": min(high, 1.0), "readings": len(inside),
                     "precision": round(right / len(inside), 3) if inside else None})
    return rows
