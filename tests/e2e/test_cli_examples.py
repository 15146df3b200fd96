"""End to end through the installed CLI on the bundled example notes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES
from tests.integration.test_cli_store import export, run_cli


def test_ingest_show_audit_export_on_the_examples(tmp_path: Path) -> None:
    store = tmp_path / "s"
    summary = run_cli(store, "ingest", str(EXAMPLES)).stdout
    assert "documents ingested  │ 3" in summary and "VARIANT_OF" in summary
    graph = export(store)
    typed = {(r["source"], r["type"], r["target"]) for r in graph["relations"]}
    assert {("grouped-query-attention", "VARIANT_OF", "multi-head-attention"), ("dpo", "REPLACES", "ppo"),
            ("qlora", "EXTENDS", "lora"), ("llama", "USES", "rope")} <= typed
    for relation in graph["relations"]:
        assert {"document", "line", "section", "text"} <= set(relation["evidence"][0])
    shown = run_cli(store, "show", "旋轉位置編碼").stdout
    assert "RoPE" in shown and "LLaMA" in shown
    audit = run_cli(store, "audit", "--sample", "5").stdout
    assert audit.count("conf=") == 5
    concepts = run_cli(store, "concepts", "--top", "5", "--kind", "model").stdout
    assert "LLaMA" in concepts
