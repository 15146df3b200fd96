"""Cross-validation folds grouped by repository: a fold never holds a note of a repository it is tested on, so
the figures say how the models do on notes by authors they never saw."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sklearn.model_selection import GroupKFold

from training.data import AnnotatedNote

FOLDS = 5


def repository_folds(notes: Sequence[AnnotatedNote], folds: int = FOLDS
                     ) -> Iterator[tuple[list[AnnotatedNote], list[AnnotatedNote]]]:
    """(training notes, held-out notes) per fold; deterministic for the same notes."""
    splitter = GroupKFold(n_splits=folds)
    for train, test in splitter.split(list(notes), groups=[note.repo for note in notes]):
        yield [notes[i] for i in train], [notes[i] for i in test]
