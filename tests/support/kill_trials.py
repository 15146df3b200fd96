"""Kill trials on the embedded store: invented notes, a watched write, a killable server, and what a kill left."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from graph.export import export_graph
from graph.store.embedded import EmbeddedStore
from tests.support.server import CLI, ROOT, free_port

# Invented study notes: Chinese prose around English ML names, so ingestion finds concepts and typed relations.
_TERMS = ["LoRA", "QLoRA", "RoPE", "ALiBi", "GQA", "MQA", "FlashAttention", "KV Cache", "DPO", "PPO", "RLHF", "SFT",
          "LayerNorm", "RMSNorm", "SwiGLU", "MoE", "Transformer", "BERT", "LLaMA", "AdamW", "Dropout", "Softmax",
          "BPE", "Beam Search", "Top-p 采样", "Warmup", "Gradient Checkpointing", "ZeRO", "Speculative Decoding"]
_POLL_SECONDS = 0.003
_WAIT_SECONDS = 120.0  # bounds every wait; a slow machine needs seconds, not minutes


def write_notes(folder: Path, count: int, sections: int, offset: int = 0) -> Path:
    """`count` notes of `sections` question sections each; a different `offset` gives different notes."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(offset, offset + count):
        lines = [f"# 第 {number} 周复习", ""]
        for part in range(sections):
            first = _TERMS[(number + part) % len(_TERMS)]
            second = _TERMS[(number * 3 + part * 7 + 1) % len(_TERMS)]
            third = _TERMS[(number * 5 + part * 2 + 2) % len(_TERMS)]
            lines += [f"## Q{part}: {first} 和 {second} 是什么关系？", "",
                      f"学习 {first} 之前需要先理解 {second}。{first} 是 {third} 的一种改进，第 {part} 题常考。",
                      f"面试时可以说：{second} 属于 {third} 的组成部分，而 {first} 与 {third} 的区别在于显存开销。", ""]
        (folder / f"week-{number:03d}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


def cli(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    """A `studygraph` command on `data_dir`, started and not waited for."""
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir)}
    return subprocess.Popen([*CLI, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def exported(data_dir: Path) -> dict[str, Any]:
    """The graph as `studygraph export` prints it, loaded by a fresh store (no cache from an earlier read)."""
    return export_graph(EmbeddedStore(data_dir).graph())


def leftovers(data_dir: Path) -> list[str]:
    """Temp files anywhere under the store, and documents files that `graph.json` does not name."""
    named = json.loads((data_dir / "graph.json").read_bytes()).get("documents_file")
    temps = [p.relative_to(data_dir).as_posix() for p in data_dir.rglob(".*.tmp")]
    return sorted(temps + [p.name for p in data_dir.glob("documents-*") if p.name != named])


@dataclass(frozen=True)
class KillMoment:
    """When to kill: `delay` seconds after the start, or after the trial's own write showed its first temp file."""

    delay: float
    after_write_began: bool


@dataclass(frozen=True)
class Timeline:
    """When a run to completion wrote, seconds from its start: first temp file, commit (graph.json renamed), end."""

    write_start: float
    commit: float
    end: float

    def kill_moment(self, rng: random.Random, trial: int) -> KillMoment:
        """Even trials: anywhere in the run. Odd trials: from the first temp file to as long again after the
        commit, so about half land before the commit. The write lasts tens of milliseconds and a loaded machine
        shifts it by more than that, so only a moment counted from the trial's own write lands in it reliably."""
        if trial % 2 == 0:
            return KillMoment(rng.uniform(0.0, self.end), after_write_began=False)
        return KillMoment(rng.uniform(0.0, 2 * (self.commit - self.write_start)), after_write_began=True)


def watch_write(data_dir: Path, started: float, running: Callable[[], bool]) -> Timeline:
    """Poll `data_dir` while `running()` holds, noting when the write began and when it committed."""
    before = (data_dir / "graph.json").stat().st_ino
    write_start = commit = None
    while running():
        now = time.monotonic() - started
        if write_start is None and _has_temp_file(data_dir):
            write_start = now
        if commit is None and (data_dir / "graph.json").stat().st_ino != before:
            commit = now
        time.sleep(_POLL_SECONDS)
    end = time.monotonic() - started
    assert commit is not None, "the watched run committed nothing"
    return Timeline(write_start if write_start is not None else commit, commit, end)


def kill_at(process: subprocess.Popen[bytes], moment: KillMoment, started: float, data_dir: Path,
            busy: Callable[[], bool] | None = None) -> bool:
    """SIGKILL `process` at `moment` (counted from `started`, or from the first temp file seen in `data_dir`);
    True when the operation was still `busy()` then (by default: while the process runs)."""
    busy = busy or (lambda: process.poll() is None)
    if moment.after_write_began:
        deadline = time.monotonic() + _WAIT_SECONDS
        while busy() and not _has_temp_file(data_dir) and time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)
        started = time.monotonic()
    time.sleep(max(0.0, started + moment.delay - time.monotonic()))
    was_busy = busy()
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=_WAIT_SECONDS)
    return was_busy


def _has_temp_file(data_dir: Path) -> bool:
    return any(data_dir.glob(".*.tmp"))


@contextmanager
def killable_server(data_dir: Path, timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`studygraph serve` on a free loopback port, ready before the caller runs; the caller may kill it."""
    port = free_port()
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir)}
    with (data_dir.parent / f"server-{port}.log").open("wb") as log:  # a pipe could fill up and block the server
        process = subprocess.Popen([*CLI, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            with httpx.Client(timeout=2) as client:  # one client: each new one loads the CA bundle again
                while not _answers(client, base):
                    assert process.poll() is None, f"server exited with {process.returncode}"
                    assert time.monotonic() < deadline, f"server on {base} not ready after {timeout:.0f} s"
                    time.sleep(0.05)
            yield base, process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=_WAIT_SECONDS)


def _answers(client: httpx.Client, base: str) -> bool:
    try:
        return client.get(f"{base}/health").status_code in (200, 503)
    except httpx.TransportError:
        return False
