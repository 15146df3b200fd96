"""Rebuild the shipped models from the training notes and their annotations, choosing settings by
cross-validation grouped by repository, and write what was measured (`training/reports/training.json`).

1. Concept tagger: a CRF per fold names the held-out notes' concepts (naming recall and precision); those
   out-of-fold names are also the distractors the relation model learns to leave alone.
2. Relation model: candidates of every note, labelled from its annotation; each C of the grid is judged per fold
   at the pair level, and the C and threshold with the best F1 kept.
3. The whole pipeline per fold (that fold's tagger and relation model) on its held-out notes, judged by the
   evaluation's scorer; the same for the cue rules alone and for the model without the rules' readings; a
   learning curve on 25, 50 and 100% of each fold's training notes.
4. The final models on all notes, with a metadata file (training data hash, settings, library versions, the
   cross-validation figures) that a test checks against the shipped files.
"""

from __future__ import annotations

import hashlib
import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy
import pycrfsuite
import sklearn

from ingest.concept_tagger import spans_of_labels
from ingest.relation_model import MODELS, load_model, save_model
from ingest.trained import TrainedModels
from training.concept_data import Sequence, note_sequences
from training.concept_model import DEFAULT_SETTINGS, NamingScore, fit_tagger
from training.corpus import ANNOTATIONS, ROOT, TRAIN_DIR
from training.data import AnnotatedNote, load_annotated
from training.folds import repository_folds
from training.pipeline_cv import Tally, held_out_tally
from training.relation_data import Example, note_examples
from training.relation_model import (
    Figures,
    FittedRelations,
    best_per_pair,
    figures_at,
    fit_relations,
    precision_by_confidence,
)

REPORT = ROOT / "training" / "reports" / "training.json"
CACHE = ROOT / ".training-cache"  # fold taggers and out-of-fold names, reused while the data hash is the same
C_GRID = (0.5, 1.0)
THRESHOLDS = (0.05, 0.08, *(round(t, 2) for t in numpy.arange(0.1, 0.91, 0.05)))
TAGGER_NAME = "concept_tagger.crfsuite"

Log = Callable[[str], None]


def data_hash(notes: list[AnnotatedNote]) -> str:
    """A digest of everything training reads: each note's bytes and its annotation file."""
    digest = hashlib.sha256()
    for note in notes:
        digest.update(note.name.encode())
        digest.update(note.note.file.read_bytes())
        digest.update((ANNOTATIONS / f"{Path(note.name).stem}.json").read_bytes())
    return digest.hexdigest()


def naming(notes: list[AnnotatedNote], sequences: dict[str, list[Sequence]], scratch: Path, log: Log
           ) -> tuple[dict[str, list[str]], list[Path], list[dict[str, float]]]:
    """Per fold: fit the tagger, name the held-out notes. Returns out-of-fold names, the fold taggers, figures
    (kept in CACHE for the same data and settings, so a second run skips this step)."""
    from ingest.note_vocabulary import tagged_names

    code = [(ROOT / "ingest" / name).read_text(encoding="utf-8") for name in (
        "concept_features.py", "concept_tagger.py", "note_vocabulary.py", "segments.py")]
    key = hashlib.sha256(json.dumps([data_hash(notes), DEFAULT_SETTINGS, code], sort_keys=True).encode()).hexdigest()[:16]
    cached = CACHE / f"naming-{key}.json"
    if cached.exists():
        stored = json.loads(cached.read_text(encoding="utf-8"))
        log("tagger folds: reused from the cache")
        return stored["names"], [Path(p) for p in stored["taggers"]], stored["figures"]
    scratch = CACHE / f"taggers-{key}"
    scratch.mkdir(parents=True, exist_ok=True)
    names: dict[str, list[str]] = {}
    taggers, figures = [], []
    for fold, (train, test) in enumerate(repository_folds(notes)):
        started = time.perf_counter()
        path = fit_tagger([s for n in train for s in sequences[n.name]], scratch / f"fold{fold}.crfsuite")
        taggers.append(path)
        score = NamingScore()
        for note in test:
            found = tagged_names(note.parsed, path)
            names[note.name] = found
            gold = {note.concept_of(alias) for alias in _mentioned_aliases(note, sequences[note.name])} - {None}
            named = {note.concept_of(name) for name in found} - {None}
            score.add(NamingScore(len(gold), len(gold & named), len(found),
                                  sum(1 for name in found if note.concept_of(name))))
        figures.append({"fold": fold, "notes": len(test), "recall": round(score.recall, 3),
                        "precision": round(score.precision, 3)})
        log(f"tagger fold {fold}: naming recall {score.recall:.3f}, precision {score.precision:.3f} "
            f"({time.perf_counter() - started:.0f} s)")
    cached.write_text(json.dumps({"names": names, "taggers": [str(p) for p in taggers], "figures": figures},
                                 ensure_ascii=False), encoding="utf-8")
    return names, taggers, figures


def _mentioned_aliases(note: AnnotatedNote, sequences: list[Sequence]) -> set[str]:
    """The annotated names the note's prose mentions (where the gold labels put a mention)."""
    return {s.text[start:end] for s in sequences for start, end in spans_of_labels(s.tokens, s.labels)}


def relation_grid(notes: list[AnnotatedNote], examples: dict[str, list[Example]], log: Log,
                  rule_free: bool = False) -> tuple[float, float, dict[str, object]]:
    """The C and threshold with the best cross-validated pair-level F1, and the figures behind the choice."""
    results, buckets = {}, {}
    for c in C_GRID:
        best: dict = {}
        for train, test in repository_folds(notes):
            fitted = fit_relations([e for n in train for e in examples[n.name]], c=c, rule_free=rule_free)
            best.update(best_per_pair(fitted, [e for n in test for e in examples[n.name]]))
        curve = {t: figures_at(best, notes, t) for t in THRESHOLDS}
        buckets[c] = precision_by_confidence(best, notes)
        threshold = chosen_threshold(curve)
        results[c] = (threshold, curve)
        log(f"relations C={c}: best F1 {curve[threshold].f1:.3f} at {threshold} "
            f"(P {curve[threshold].precision:.3f}, R {curve[threshold].recall:.3f})")
    c = max(results, key=lambda key: max(f.f1 for f in results[key][1].values()))
    threshold, curve = results[c]
    return c, threshold, {"C": c, "threshold": threshold, "curve": {str(t): _figures(f) for t, f in curve.items()},
                          "grid": {str(k): {"threshold": v[0], **_figures(v[1][v[0]])} for k, v in results.items()},
                          "precision_by_confidence": buckets[c]}


F1_SLACK = 0.01  # a threshold this close to the best F1 is as good; the highest of them keeps fewer wrong readings


def chosen_threshold(curve: dict[float, Figures]) -> float:
    """The highest threshold whose F1 is within F1_SLACK of the best: F1 changes little over a range of thresholds
    where precision still rises, so of equally good ones the more precise is kept."""
    best = max(figures.f1 for figures in curve.values())
    return max(t for t, figures in curve.items() if figures.f1 >= best - F1_SLACK)


def _figures(figures: Figures) -> dict[str, float]:
    return {"precision": round(figures.precision, 3), "recall": round(figures.recall, 3), "f1": round(figures.f1, 3),
            "kept": figures.kept}


def fold_models(fitted: FittedRelations, tagger: Path, threshold: float, directory: Path) -> TrainedModels:
    """A fold's models written where the runtime reads them."""
    write_relations(fitted, threshold, directory, {"version": f"fold-{directory.name}"})
    target = directory / TAGGER_NAME
    target.write_bytes(tagger.read_bytes())
    load_model.cache_clear()
    return TrainedModels(target, load_model(directory))


def write_relations(fitted: FittedRelations, threshold: float, directory: Path, metadata: dict[str, object]) -> None:
    save_model(directory, list(fitted.classifier.classes_), list(fitted.vectorizer.get_feature_names_out()),
               fitted.classifier.coef_, fitted.classifier.intercept_, threshold, not fitted.rule_free, metadata)


def end_to_end(notes: list[AnnotatedNote], examples: dict[str, list[Example]], taggers: list[Path], c: float,
               threshold: float, scratch: Path, log: Log, rule_free: bool = False, share: float = 1.0
               ) -> dict[str, object]:
    """The whole pipeline per fold on its held-out notes, judged by the evaluation's scorer."""
    tally = Tally()
    folds = []
    for fold, (train, test) in enumerate(repository_folds(notes)):
        kept = sorted(train, key=lambda n: hashlib.sha256(n.name.encode()).hexdigest())[
            :max(1, round(len(train) * share))] if share < 1 else train
        fitted = fit_relations([e for n in kept for e in examples[n.name]], c=c, rule_free=rule_free)
        models = fold_models(fitted, taggers[fold], threshold, scratch / f"models-{fold}-{rule_free}-{share}")
        fold_tally = held_out_tally(test, models, Tally())
        folds.append({"fold": fold, "repositories": sorted({n.repo for n in test}), **fold_tally.summary()})
        for name, figures in fold_tally.per_note.items():
            tally.add(name, figures, len(next(n for n in test if n.name == name).concepts))
        log(f"pipeline fold {fold}{' (no rules)' if rule_free else ''}{f' ({share:.0%})' if share < 1 else ''}: "
            f"{fold_tally.summary()}")
    return {"all": tally.summary(), "folds": folds}


def rules_only(notes: list[AnnotatedNote], log: Log) -> dict[str, object]:
    """The cue rules alone (the pipeline before training), each note read on its own, judged the same way."""
    from graph.export import export_graph
    from graph.merge import merge_graphs
    from ingest.pipeline import extract_graphs
    from ingest.reader import SourceFile
    from training.pipeline_cv import score_note

    tally = Tally()
    for note in notes:
        source = SourceFile(id=note.name, path=Path(note.name), text=note.text, encoding="utf-8", sha256="0" * 64)
        export = export_graph(merge_graphs(extract_graphs([source], extraction="rules")))
        tally.add(note.name, score_note(note, export), len(note.concepts))
    log(f"rules only: {tally.summary()}")
    return {"all": tally.summary()}


def main(log: Log = print, quick: bool = False) -> dict[str, object]:
    started = time.perf_counter()
    notes = load_annotated()
    report: dict[str, object] = {"data_sha256": data_hash(notes), "notes": len(notes),
                                 "relations": sum(len(n.relations) for n in notes),
                                 "train_dir": str(TRAIN_DIR.name)}
    sequences = {n.name: note_sequences(n) for n in notes}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        oof_names, taggers, naming_figures = naming(notes, sequences, scratch, log)
        report["tagger_cv"] = naming_figures
        examples = {n.name: note_examples(n, oof_names[n.name]) for n in notes}
        c, threshold, chosen = relation_grid(notes, examples, log)
        report["relation_cv"] = chosen
        report["pipeline_cv"] = end_to_end(notes, examples, taggers, c, threshold, scratch, log)
        if not quick:
            report["ablation_rules_only"] = rules_only(notes, log)
            report["ablation_model_only"] = end_to_end(notes, examples, taggers, c, threshold, scratch, log,
                                                       rule_free=True)
            report["learning_curve"] = {f"{share:.0%}": end_to_end(notes, examples, taggers, c, threshold, scratch,
                                                                   log, share=share)["all"]
                                        for share in (0.25, 0.5)}
    log("fitting the shipped models on every note")
    tagger = fit_tagger([s for n in notes for s in sequences[n.name]], MODELS / TAGGER_NAME)
    fitted = fit_relations([e for n in notes for e in examples[n.name]], c=c)
    settings = {"tagger": DEFAULT_SETTINGS, "relations": {"C": c, "threshold": threshold,
                                                          "min_feature_count": 2}}
    versions = {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                "python-crfsuite": getattr(pycrfsuite, "__version__", "0.9"), "numpy": numpy.__version__}
    version = hashlib.sha256(json.dumps([report["data_sha256"], settings], sort_keys=True).encode()).hexdigest()[:12]
    write_relations(fitted, threshold, MODELS, {"version": version, "data_sha256": report["data_sha256"],
                                                "settings": settings, "libraries": versions})
    report.update({"settings": settings, "libraries": versions, "version": version,
                   "tagger_sha256": hashlib.sha256(tagger.read_bytes()).hexdigest(),
                   "seconds": round(time.perf_counter() - started)})
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report
