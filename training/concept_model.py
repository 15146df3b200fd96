"""Fit and judge the concept tagger: a linear-chain CRF (python-crfsuite) over the block sequences of
`training.concept_data`, judged by how many annotated concepts of held-out notes it names."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from graph.normalize import concept_key
from ingest.concept_tagger import spans_of_labels
from training.concept_data import Sequence
from training.data import AnnotatedNote

DEFAULT_SETTINGS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def fit_tagger(sequences: Iterable[Sequence], model_path: Path, settings: dict[str, object] | None = None) -> Path:
    """Train on the sequences (in the order given: deterministic) and write the model file."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for sequence in sequences:
        trainer.append(sequence.features, sequence.labels)
    trainer.set_params({**DEFAULT_SETTINGS, **(settings or {})})
    trainer.train(str(model_path))
    return model_path


@dataclass
class NamingScore:
    """How the tagger named a set of notes' concepts."""

    gold: int = 0  # annotated concepts mentioned in the notes' prose
    found: int = 0  # of those, named by some tagged span
    names: int = 0  # distinct names tagged, per note
    right_names: int = 0  # of those, a name or alias of an annotated concept

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.right_names / self.names if self.names else 0.0

    def add(self, other: NamingScore) -> None:
        self.gold += other.gold
        self.found += other.found
        self.names += other.names
        self.right_names += other.right_names


def tagged_names(tagger: pycrfsuite.Tagger, sequences: list[Sequence]) -> dict[str, set[str]]:
    """The names the tagger finds in each note's blocks."""
    names: dict[str, set[str]] = defaultdict(set)
    for sequence in sequences:
        labels = tagger.tag(sequence.features)
        for start, end in spans_of_labels(sequence.tokens, labels):
            names[sequence.note].add(sequence.text[start:end].strip())
    return names


def _mentioned_keys(sequence: Sequence) -> set[str]:
    keys: set[str] = set()
    starts = [i for i, label in enumerate(sequence.labels) if label == "B"]
    for i in starts:
        end = i + 1
        while end < len(sequence.labels) and sequence.labels[end] == "I":
            end += 1
        keys.add(concept_key(sequence.text[sequence.tokens[i].start:sequence.tokens[end - 1].end]))
    return keys


def held_out_naming(train: list[Sequence], test: list[Sequence], test_notes: list[AnnotatedNote],
                    settings: dict[str, object] | None = None) -> tuple[NamingScore, dict[str, set[str]]]:
    """Fit on `train`, name the concepts of `test`."""
    with tempfile.TemporaryDirectory() as scratch:
        model = fit_tagger(train, Path(scratch) / "tagger.crfsuite", settings)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        names = tagged_names(tagger, test)
        tagger.close()
    keyed = {note.name: note for note in test_notes}
    mentioned_scores = NamingScore()
    for note_name, note in keyed.items():
        note_sequences = [s for s in test if s.note == note_name]
        mentioned = set()
        for sequence in note_sequences:
            for key_surface in _mentioned_keys(sequence):
                owner = note.alias_owner.get(key_surface)
                if owner:
                    mentioned.add(owner)
        found = {note.concept_of(name) for name in names.get(note_name, set())} - {None}
        mentioned_scores.add(NamingScore(gold=len(mentioned), found=len(mentioned & found),
                                         names=len(names.get(note_name, set())),
                                         right_names=sum(1 for n in names.get(note_name, set()) if note.concept_of(n))))
    return mentioned_scores, names
