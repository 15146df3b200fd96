"""Issue 27: the embedded store keeps each profile in its own files, appends a review to the history instead of
rewriting everything, survives a write killed mid-append, moves an older store's profiles.json over, and caps
the history while the FSRS cards stay exact."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from graph.models import Grade, Profile, Review
from graph.store.embedded import EmbeddedStore
from graph.store.profile_file import PROFILES_DIR
from graph.study.answers import QuestionRef
from graph.study.practice import HISTORY_KEPT, HISTORY_LIMIT, graded
from tests.conftest import ROOT
from tests.support.server import CLI

QUESTION = QuestionRef(id="q.md#1", text="为什么 DPO 不需要奖励模型？", document="q.md", line=3, difficulty=None,
                       answered=True)
START = datetime(2026, 3, 1, 9, tzinfo=UTC)


def reviewed(profile: Profile, count: int) -> Profile:
    for n in range(count):
        profile = graded(profile, QUESTION, ["dpo"], Grade.GOOD, START + timedelta(days=n))
    return profile


def test_a_review_appends_one_line_to_the_history_and_other_profiles_are_untouched(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.update_profile("other", lambda p: p.knowing(["x"]))
    other_files = {path: path.stat().st_mtime_ns for path in (tmp_path / PROFILES_DIR).iterdir()}
    store.update_profile("me", lambda p: reviewed(p, 3))
    history = history_file_of(tmp_path, "me")
    inode, size = history.stat().st_ino, history.stat().st_size
    store.update_profile("me", lambda p: reviewed(p, 1))
    assert history.stat().st_ino == inode and history.stat().st_size > size
    assert len(history.read_bytes().splitlines()) == 4
    assert {path: path.stat().st_mtime_ns for path in other_files} == other_files
    assert not (tmp_path / "profiles.json").exists()
    assert len(EmbeddedStore(tmp_path).profile("me").history) == 4


def history_file_of(data_dir: Path, name: str) -> Path:
    state = json.loads(next(path for path in (data_dir / PROFILES_DIR).glob("*.json")
                            if json.loads(path.read_text())["profile"]["name"] == name).read_text())
    return data_dir / PROFILES_DIR / state["history_file"]


def test_a_tail_left_by_a_killed_append_is_ignored_then_cut_off(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.update_profile("me", lambda p: reviewed(p, 2))
    history = history_file_of(tmp_path, "me")
    with history.open("ab") as torn:  # what a write killed after appending, before its state commit, leaves
        torn.write(b'{"question": "q.md#1", "text": "half a rev')
    assert len(EmbeddedStore(tmp_path).profile("me").history) == 2
    store.update_profile("me", lambda p: reviewed(p, 1))
    lines = history.read_bytes().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["grade"] == "good" for line in lines)


def test_an_older_stores_profiles_json_is_read_and_moved_over_on_the_first_write(tmp_path: Path) -> None:
    old = {"profiles": {"Me": {"name": "Me", "known": ["dpo"]}, "bob": {"name": "bob", "known": ["ppo"]}}}
    (tmp_path / "profiles.json").write_text(json.dumps(old), encoding="utf-8")
    store = EmbeddedStore(tmp_path)
    assert store.profile("me").known == ["dpo"] and store.profile_names() == ["bob", "me"]
    store.update_profile("bob", lambda p: p.knowing(["rlhf"]))
    assert not (tmp_path / "profiles.json").exists() and (tmp_path / "profiles.json.moved").exists()
    again = EmbeddedStore(tmp_path)
    assert again.profile("ME").known == ["dpo"] and again.profile("bob").known == ["ppo", "rlhf"]
    assert again.profile_names() == ["bob", "me"]


def test_the_history_is_capped_and_the_cards_stay_exact(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    many = [Review(question=QUESTION.id, text=QUESTION.text, concepts=["dpo"], at=START + timedelta(minutes=n),
                   grade=Grade.HARD) for n in range(HISTORY_LIMIT)]
    store.update_profile("me", lambda p: p.model_copy(update={"history": many}))
    expected = reviewed(store.profile("me"), 1)
    written = store.update_profile("me", lambda p: reviewed(p, 1))
    assert len(written.history) == HISTORY_KEPT and written.history[-1].grade == Grade.GOOD
    assert written.history[0] == many[HISTORY_LIMIT + 1 - HISTORY_KEPT]
    assert EmbeddedStore(tmp_path).profile("me").cards == expected.cards
    assert len(list((tmp_path / PROFILES_DIR).glob("*.jsonl"))) == 1  # the replaced history file is gone


def test_a_profile_name_with_invisible_characters_is_refused_by_the_cli(tmp_path: Path) -> None:
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(tmp_path / "s"), "COLUMNS": "200"}
    done = subprocess.run([*CLI, "--profile", "me\u202e", "profile"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 3 and "U+202E" in done.stderr and "Traceback" not in done.stderr
