"""Start ArcadeDB's Neo4j-compatible Bolt server (PyPI arcadedb-embedded, bundled Java) for tests and benchmarks."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import neo4j


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BoltServer:
    """A running Bolt server: where it listens, how to log in, and the process to stop."""

    uri: str
    user: str
    password: str
    database: str
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def arcadedb_home() -> Path:
    """The installed arcadedb_embedded package (jars and Java runtime), found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or spec.origin is None:
        raise RuntimeError("arcadedb-embedded is not installed: pip install -e '.[dev]'")
    return Path(spec.origin).parent


def start_arcadedb(root: Path, timeout: float = 120.0, heap: str = "512m") -> BoltServer:
    """Start a fresh server under `root` on free loopback ports and wait until `RETURN 1` answers."""
    home = arcadedb_home()
    password = secrets.token_hex(12)
    http_port, bolt_port = free_port(), free_port()
    root.mkdir(parents=True, exist_ok=True)
    log = root / "server.log"
    command = [
        str(home / "jre" / "bin" / "java"), f"-Xmx{heap}",
        f"-Darcadedb.server.rootPath={root}", f"-Darcadedb.server.databaseDirectory={root / 'databases'}",
        f"-Darcadedb.server.rootPassword={password}", "-Darcadedb.server.defaultDatabases=neo4j[root]",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1", f"-Darcadedb.server.httpIncomingPort={http_port}",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "-Darcadedb.bolt.host=127.0.0.1", f"-Darcadedb.bolt.port={bolt_port}",
        "-cp", f"{home / 'jars'}/*", "com.arcadedb.server.ArcadeDBServer",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=root,
                                   env={**os.environ, "JAVA_HOME": str(home / "jre")})
    server = BoltServer(f"bolt://127.0.0.1:{bolt_port}", "root", password, "neo4j", process, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"ArcadeDB exited with {process.returncode}; see {log}:\n{log.read_text()[-2000:]}")
        try:
            with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, password)) as driver:
                driver.verify_connectivity()  # fails at once while the port is closed; queries would retry
                driver.execute_query("RETURN 1 AS ok", database_=server.database)
            return server
        except Exception:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"ArcadeDB did not answer on {server.uri} within {timeout:.0f} s; see {log}") from None
            time.sleep(0.5)
