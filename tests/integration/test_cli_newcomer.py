"""The CLI as a newcomer meets it: help in plain words, --version, output that wraps under its label, each
question once and cut with '…', clear errors first, and suggestions for mistyped names."""

from __future__ import annotations

import os
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.conftest import ROOT
from tests.integration.test_cli_store import run_cli
from tests.support.server import CLI

COMMANDS = ["ingest", "documents", "remove", "import", "concepts", "show", "export", "audit", "path", "next",
            "related", "gaps", "doctor", "profile", "know", "goal", "practice", "progress", "map", "sync", "serve"]
LONG_QUESTION = ("Why does RoPE keep working when the context window grows far beyond the length the model "
                 "was trained on?")
NOTES = f"""# 位置编码

- 旋转位置编码（RoPE）是什么？
- {LONG_QUESTION}

## 旋转位置编码（RoPE）是什么？

答：把查询和键按位置转过一个角度，内积于是只和两个词之间的距离有关，所以它天然地表达相对位置。

LLaMA 采用 RoPE，ALiBi 与 RoPE 不同：ALiBi 不转动向量，而是在注意力分数上减去一个随距离线性增长的惩罚，每个头的斜率各不相同。
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store holding the invented notes, as `bad/ok.md` and `notes/rope.md`."""
    root = tmp_path_factory.mktemp("newcomer")
    for folder, name in (("notes", "rope.md"), ("bad", "ok.md")):
        (root / folder).mkdir()
        (root / folder / name).write_text(NOTES, encoding="utf-8")
    run_cli(root / "s", "ingest", str(root / "notes"), str(root / "bad"))
    return root / "s"


def narrow(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "60"}
    return subprocess.run([*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_values_in_plain_words(command: str) -> None:
    shown = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
    assert command in shown
    assert not re.search(r"<\w[^>]*>", shown), shown  # no '<bool>', '<list[str]>', '<FileTextWrite>'


def test_the_readme_command_reference_names_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme[readme.index("## Command reference"):readme.index("Exit codes:")]
    listed = set(re.findall(r"`studygraph ([a-z]+)", reference))
    assert listed == set(COMMANDS), listed ^ set(COMMANDS)


def test_values_say_what_they_are_and_json_says_what_it_prints() -> None:
    runner = CliRunner()
    assert re.search(r"--known\s+-k\s+CONCEPT", runner.invoke(app, ["path", "--help"], env={"COLUMNS": "200"}).output)
    assert re.search(r"--output\s+-o\s+FILE", runner.invoke(app, ["export", "--help"], env={"COLUMNS": "200"}).output)
    helps = {command: runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
             for command in ("path", "next", "related", "gaps", "doctor")}
    json_lines = {command: next(line for line in shown.splitlines() if "--json" in line)
                  for command, shown in helps.items()}
    assert not any("plan" in line for command, line in json_lines.items() if command != "path")
    assert "health report" in json_lines["doctor"] and "gaps" in json_lines["gaps"]
    assert len(set(json_lines.values())) == len(json_lines)


def test_version_comes_from_the_package_metadata(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "--version")
    assert done.stdout.strip() == f"studygraph {version('studygraph')}"


def test_show_defines_from_the_answer_and_asks_each_question_once(store: Path) -> None:
    shown = narrow(store, "show", "RoPE").stdout
    assert "definition: 把查询和键按位置转过一个角度" in shown
    questions = [line for line in shown.splitlines() if line.lstrip().startswith("?")]
    assert len([q for q in questions if "旋转位置编码（RoPE）是什么" in q]) == 1
    assert "旋转位置编码（RoPE）是什么？ (answered)" in shown


def test_wrapped_lines_stay_under_their_label_and_cut_text_ends_in_an_ellipsis(store: Path) -> None:
    lines = narrow(store, "show", "RoPE").stdout.splitlines()
    assert len(lines) > 6 and all(len(line) <= 60 for line in lines)
    labels = ("RoPE", "aliases:", "definition:")
    assert all(line.startswith(" ") for line in lines if not line.startswith(labels)), lines
    definition = lines.index(next(line for line in lines if line.startswith("definition:")))
    assert lines[definition + 1].startswith(" " * len("definition: "))  # the definition is long enough to wrap
    asked = " ".join(line.strip() for line in lines if "RoPE keep working" in line or "trained" in line)
    assert "…" in " ".join(lines)
    assert "trained on?" not in asked  # cut, at a word's end, with '…'
    cut = re.search(r"(\S+)…\s+\(unanswered\)", " ".join(lines))
    assert cut and cut.group(1) in LONG_QUESTION.split()


def test_an_unknown_kind_lists_the_valid_ones_and_is_refused(store: Path) -> None:
    done = run_cli(store, "concepts", "--kind", "foo", check=False)
    assert done.returncode == 3 and not done.stdout
    assert "unknown kind 'foo'" in done.stderr and "mechanism" in done.stderr
    assert "RoPE" in run_cli(store, "concepts", "--kind", "Mechanism").stdout


def test_an_unknown_document_suggests_the_close_match(store: Path) -> None:
    done = run_cli(store, "remove", "ok.md", check=False)
    assert done.returncode == 4 and "did you mean 'bad/ok.md'?" in done.stderr


def test_a_missing_path_is_a_clear_error_without_a_summary(tmp_path: Path) -> None:
    done = run_cli(tmp_path / "s", "ingest", str(tmp_path / "nowhere.md"), check=False)
    assert done.returncode == 3 and not done.stdout
    assert "nowhere.md: no such file, folder or glob match" in done.stderr and "nothing was ingested" in done.stderr


def test_errors_come_before_the_summary_which_keeps_co_occurrences_apart(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(tmp_path / "s"), "COLUMNS": "200"}
    done = subprocess.run([*CLI, "ingest", str(tmp_path / "nowhere.md"), str(notes)], cwd=ROOT, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    assert done.returncode == 0
    output = done.stdout
    assert output.index("nowhere.md: no such file") < output.index("documents ingested")
    typed = output[output.index("typed relations"):output.index("co-occurrences")]
    assert "RELATED_TO" not in typed and re.search(r"co-occurrences\s*│\s*[1-9]", output)


def test_a_file_keeps_its_id_from_any_working_directory_and_a_copy_is_a_duplicate(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "attention.md").write_text(NOTES, encoding="utf-8")
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(tmp_path / "s")}

    def ingest(target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*CLI, "ingest", "-q", target], cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done

    ingest("attention.md", notes)
    ingest("notes", tmp_path)  # the same file, named by its folder from elsewhere
    (tmp_path / "copy.md").write_text(NOTES, encoding="utf-8")
    copied = ingest(str(tmp_path / "copy.md"), ROOT)
    assert "duplicate copy.md: same content as attention.md; not counted twice" in " ".join(copied.stderr.split())
    documents = run_cli(tmp_path / "s", "documents").stdout
    assert "attention.md" in documents and "notes/attention.md" not in documents and "copy.md" not in documents
