"""`studygraph practice` driven in a real pseudo-terminal (Enter, then a grade key) and `progress --json`, on
invented notes: grades and FSRS card states land in the profile, and the next session asks what FSRS has due."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest

from graph.models import Profile
from graph.store.embedded import EmbeddedStore
from tests.conftest import ROOT
from tests.integration.test_cli_store import run_cli
from tests.support.server import CLI

NOTES = """# 推理缓存

## 什么是 KV Cache？

答：KV Cache 缓存已经算过的键和值，解码时不再重复计算。

## 什么是 Paged Attention？

答：Paged Attention 把 KV Cache 分成固定大小的页来管理显存。Paged Attention 使用 KV Cache。

## 什么是 Prefix Caching？

答：Prefix Caching 让共享前缀的请求复用同一份 KV Cache。Prefix Caching 依赖 Paged Attention。

## Paged Attention 的页该多大？
"""
# Study order on the plan for Prefix Caching: KV Cache, Paged Attention, Prefix Caching.
GRADES = {"什么是 KV Cache？": "3", "什么是 Paged Attention？": "4", "什么是 Prefix Caching？": "1"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "cache.md").write_text(NOTES, encoding="utf-8")
    run_cli(tmp_path / "s", "ingest", str(tmp_path / "notes"), "-q")
    run_cli(tmp_path / "s", "goal", "Prefix Caching", "--by", "2099-01-01")
    return tmp_path / "s"


def session(data_dir: Path, grades: dict[str, str]) -> str:
    """One practice session in a pseudo-terminal: each question shown, Enter pressed, the answer, then a grade."""
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200", "TERM": "dumb"}  # plain text to match
    child = pexpect.spawn(CLI[0], [*CLI[1:], "practice"], cwd=str(ROOT), env=env, encoding="utf-8", timeout=20,
                          dimensions=(40, 200))
    asked = []
    for _ in grades:
        child.expect(r"Q\d+\. (\S+ \S+ \S+)  notes/cache\.md:\d+")
        asked.append(child.match.group(1))
        child.expect("Enter shows the answer")
        child.sendline("")
        child.expect(r"\[1/2/3/4\]")
        child.sendline(grades[asked[-1]])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert list(grades) == asked
    return str(child.before)


def profile(data_dir: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(run_cli(data_dir, "profile", "--json").stdout)


def time_passes(data_dir: Path, minutes: int) -> None:
    """Move every card's schedule back, as if the learner came back later (FSRS's first steps are minutes)."""
    earlier = timedelta(minutes=minutes)

    def moved(profile: Profile) -> Profile:
        return profile.model_copy(update={"cards": {
            question: card.model_copy(update={"due": card.due - earlier, "last_review": card.last_review - earlier
                                              if card.last_review else None})
            for question, card in profile.cards.items()}})

    EmbeddedStore(data_dir).update_profile("me", moved)


def test_a_session_grades_due_questions_and_fsrs_schedules_the_next(store: Path) -> None:
    first = session(store, GRADES)
    assert "3 reviewed" in first and "nothing more is due" in first
    assert "write the answer" in first and "notes/cache.md:15" in first and "页该多大" in first
    shown = profile(store)
    assert [(r["text"], r["grade"]) for r in shown["history"]] == [
        ("什么是 KV Cache？", "good"), ("什么是 Paged Attention？", "easy"), ("什么是 Prefix Caching？", "again")]
    assert set(shown["cards"]) == {r["question"] for r in shown["history"]}
    assert all(card["due"] and card["last_review"] for card in shown["cards"].values())

    time_passes(store, 5)  # past 'again' (1 minute), short of 'good' (10 minutes) and 'easy' (days)
    second = session(store, {"什么是 Prefix Caching？": "3"})
    assert "1 reviewed" in second and "KV Cache？" not in second
    assert len(profile(store)["history"]) == 4


def test_progress_reports_steps_due_questions_retention_and_the_date(store: Path) -> None:
    before = json.loads(run_cli(store, "progress", "--json").stdout)
    assert [(g["goal"], g["questions"], g["reviewed"], g["new"], g["retention"]) for g in before] == [
        ("prefix-caching", 3, 0, 3, None)]
    assert {s["status"] for s in before[0]["steps"]} == {"unknown"}
    run_cli(store, "know", "KV Cache")
    session(store, {"什么是 KV Cache？": "3", "什么是 Paged Attention？": "3", "什么是 Prefix Caching？": "1"})
    after = json.loads(run_cli(store, "progress", "--json", "--minutes-per-day", "10").stdout)[0]
    assert [s["status"] for s in after["steps"]] == ["known", "learning", "learning"]
    assert after["reviewed"] == 3 and after["new"] == 0 and after["due_today"] == 3
    assert 0.9 < after["retention"] <= 1.0
    remaining = sum(s["effort_minutes"] for s in after["steps"][1:])
    assert after["remaining_minutes"] == remaining and after["by"] == "2099-01-01" and after["on_track"] is True
    days = (datetime.fromisoformat(after["estimate"]).date() - datetime.now(UTC).date()).days
    assert days == -(-remaining // 10)
    assert "predicted retention" in run_cli(store, "progress").stdout
