"""`studygraph profile`, `know` and `goal` in fresh processes: names resolved against the graph (exit 4 and nothing
written for an unknown one), the profile chosen by --profile or STUDYGRAPH_PROFILE, study commands planning from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.integration.test_cli_store import run_cli


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("profiles") / "s"
    run_cli(data_dir, "ingest", str(EXAMPLES), "-q")
    return data_dir


def profile(data_dir: Path, *options: str) -> dict:  # type: ignore[type-arg]
    return json.loads(run_cli(data_dir, *options, "profile", "--json").stdout)


def test_know_and_goal_resolve_names_and_persist(store: Path) -> None:
    run_cli(store, "know", "rope", "PPO")
    refused = run_cli(store, "know", "ropee", "DPO", check=False)
    assert refused.returncode == 4 and "did you mean 'RoPE'" in refused.stderr
    run_cli(store, "goal", "DPO", "--by", "2027-01-15")
    shown = profile(store)
    assert sorted(shown.pop("known_since")) == ["ppo", "rope"]  # when each was marked, for progress over time
    assert shown == {"name": "me", "known": ["rope", "ppo"], "goals": [{"concept": "dpo", "by": "2027-01-15"}],
                     "history": [], "cards": {}}
    run_cli(store, "know", "RoPE", "--forget")
    run_cli(store, "goal", "DPO", "--drop")
    assert profile(store)["known"] == ["ppo"] and profile(store)["goals"] == []
    shown = run_cli(store, "profile").stdout
    assert "known (1): PPO" in shown and "goals (0): none" in shown and "history (0): none" in shown
    assert run_cli(store, "goal", "DPO", "--by", "15/01/2027", check=False).returncode == 2


def test_the_profile_is_chosen_by_option_or_setting(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_cli(store, "--profile", "bob", "know", "DPO")
    assert profile(store, "--profile", "bob")["known"] == ["dpo"]
    monkeypatch.setenv("STUDYGRAPH_PROFILE", "bob")
    assert profile(store)["name"] == "bob"
    monkeypatch.delenv("STUDYGRAPH_PROFILE")
    assert "dpo" not in profile(store)["known"]


def test_study_commands_plan_from_the_profile_unless_known_is_given(store: Path) -> None:
    run_cli(store, "--profile", "carol", "know", "PPO")
    planned = json.loads(run_cli(store, "--profile", "carol", "path", "DPO", "--json").stdout)
    given = json.loads(run_cli(store, "--profile", "carol", "path", "DPO", "--known", "RoPE", "--json").stdout)
    assert "PPO" in planned["skipped_known"] and "PPO" not in given["skipped_known"]
    nexts = json.loads(run_cli(store, "--profile", "carol", "next", "--json").stdout)
    assert nexts == json.loads(run_cli(store, "next", "--known", "PPO", "--json").stdout)
    # with goals, `next` ranks by the one due soonest, as --goal would
    run_cli(store, "--profile", "carol", "goal", "RoPE")
    run_cli(store, "--profile", "carol", "goal", "DPO", "--by", "2027-01-15")
    aimed = json.loads(run_cli(store, "--profile", "carol", "next", "--json").stdout)
    assert aimed == json.loads(run_cli(store, "next", "--known", "PPO", "--goal", "DPO", "--json").stdout)


def test_a_known_concept_whose_document_went_is_passed_over(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# 对齐\n\nDPO 取代 PPO，不需要 reward model。\n", encoding="utf-8")
    (notes / "b.md").write_text("# 注意力\n\nGQA 是 MHA 的变体。\n", encoding="utf-8")
    data_dir = tmp_path / "s"
    run_cli(data_dir, "ingest", str(notes), "-q")
    run_cli(data_dir, "know", "GQA", "PPO")
    run_cli(data_dir, "remove", "notes/b.md")
    planned = json.loads(run_cli(data_dir, "path", "DPO", "--json").stdout)
    assert planned["skipped_known"] == ["PPO"]
    assert "grouped-query-attention" in run_cli(data_dir, "profile").stdout  # shown by id once its name is gone
