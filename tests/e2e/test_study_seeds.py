"""The study commands on ../shared/seeds, through the CLI's --json: orders a person who knows the field expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS, needs_seeds
from tests.integration.test_cli_store import run_cli

pytestmark = [needs_seeds(), pytest.mark.seeds]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("seeds-store")
    run_cli(store, "ingest", "-q", str(SEEDS))
    return store


def order(store: Path, target: str, *known: str) -> list[str]:
    args = ["path", target, "--json", *(part for k in known for part in ("--known", k))]
    return [step["concept"] for step in json.loads(run_cli(store, *args).stdout)["steps"]]


def before(steps: list[str], first: str, then: str) -> bool:
    return first in steps and then in steps and steps.index(first) < steps.index(then)


def test_dpo_path_puts_ppo_and_rlhf_first(seeded: Path) -> None:
    steps = order(seeded, "DPO")
    assert steps[-1] == "dpo"
    assert before(steps, "ppo", "dpo") and before(steps, "rlhf", "dpo") and before(steps, "ppo", "rlhf")
    assert before(steps, "sft", "rlhf")
    padding = {"adam", "adamw", "sgd", "gradient-descent", "regularization", "l2-regularization", "fsdp",
               "gradient-accumulation", "optimizer"}
    assert not padding & set(steps), steps  # the core is what DPO needs, not training tips
    assert len(steps) <= 11


def test_known_rlhf_drops_what_it_implies_from_the_dpo_path(seeded: Path) -> None:
    assert "sft" in order(seeded, "DPO")
    steps = order(seeded, "DPO", "RLHF")
    assert "rlhf" not in steps and "ppo" not in steps and "sft" not in steps and steps[-1] == "dpo"


def test_qlora_after_lora_and_rope_after_positional_encoding(seeded: Path) -> None:
    assert before(order(seeded, "QLoRA"), "lora", "qlora")
    assert before(order(seeded, "旋转位置编码"), "positional-encoding", "rope")


def test_comparisons_put_their_reference_side_first(seeded: Path) -> None:
    """The notes state these only as comparisons (GRPO against PPO, GQA between MHA and MQA) or "X 中的 Y"."""
    assert before(order(seeded, "GQA"), "multi-head-attention", "grouped-query-attention")
    assert before(order(seeded, "GRPO"), "ppo", "grpo")
    assert before(order(seeded, "Transformer"), "self-attention", "transformer")


def test_path_between_and_gaps_explain_themselves(seeded: Path) -> None:
    connection = json.loads(run_cli(seeded, "path", "--from", "PPO", "--to", "DPO", "--json").stdout)
    assert connection["kind"] == "prerequisite chain" and connection["concepts"][0] == "ppo"
    assert all(hop["why"]["sentence"] for hop in connection["hops"])
    printed = run_cli(seeded, "path", "--from", "PPO", "--to", "DPO").stdout
    for hop in connection["hops"]:  # every hop printed the relation's way: no false sentence in walking order
        why = hop["why"]
        if why["source"] == hop["source"]:
            assert f"—{why['type']}→" in printed
        else:
            assert f"←{why['type']}—" in printed
    assert "RLHF uses PPO" in printed and "PPO uses RLHF" not in printed
    report = json.loads(run_cli(seeded, "gaps", "RLHF", "--json").stdout)
    assert {item["kind"] for item in report["items"]} >= {"unanswered", "missing_link"}
    done = run_cli(seeded, "path", "DPOO", check=False)
    assert done.returncode == 4 and "DPO" in done.stderr


def test_gaps_around_rlhf_name_the_algorithms_asked_about_but_never_explained(seeded: Path) -> None:
    report = json.loads(run_cli(seeded, "gaps", "RLHF", "--json").stdout)
    unexplained = {c for item in report["items"] if item["kind"] == "unexplained" for c in item["concepts"]}
    assert {"grpo", "gspo", "dapo"} <= unexplained
    assert "rlhf" not in unexplained and "ppo" not in unexplained  # the notes explain these
