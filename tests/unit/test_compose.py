"""docker-compose.yml and the Dockerfile, checked by reading them (no Docker engine runs on these machines)."""

from __future__ import annotations

import shlex
import tomllib

import yaml
from typer.main import get_command

from cli.app import app
from settings import Settings
from tests.conftest import ROOT


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_neo4j_service_has_auth_from_env_a_volume_and_a_query_healthcheck() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5-community"
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:-studygraph-local}"
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    test = " ".join(neo4j["healthcheck"]["test"])
    assert "cypher-shell" in test and "RETURN 1" in test
    assert {"127.0.0.1:7474:7474", "127.0.0.1:7687:7687"} <= set(neo4j["ports"])


def test_studygraph_service_waits_for_neo4j_and_is_wired_to_it() -> None:
    services = compose()["services"]
    service = services["studygraph"]
    assert service["build"] == "."
    assert service["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = service["environment"]
    assert env["STUDYGRAPH_STORE"] == "neo4j"
    assert env["STUDYGRAPH_NEO4J_URI"] == "bolt://neo4j:7687"
    # The API logs in with the password the Neo4j container was given.
    assert env["STUDYGRAPH_NEO4J_PASSWORD"] == services["neo4j"]["environment"]["NEO4J_PASSWORD"]
    assert set(env) - {"STUDYGRAPH_API_TOKEN"} <= {f"STUDYGRAPH_{name.upper()}" for name in Settings.model_fields}
    assert "127.0.0.1:8000:8000" in service["ports"]
    assert any(v.endswith(":/notes:ro") for v in service["volumes"])


def test_the_service_command_uses_real_cli_commands() -> None:
    script = compose()["services"]["studygraph"]["command"][-1]
    steps = [[word for word in shlex.split(step) if word != "exec"] for step in script.split("&&")]
    used = {words[1] for words in steps if words[0] == "studygraph"}
    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert {"ingest", "serve"} <= used <= set(commands)
    serve_options = {opt for param in commands["serve"].params for opt in param.opts}  # type: ignore[attr-defined]
    serve_step = next(words for words in steps if words[:2] == ["studygraph", "serve"])
    assert {word for word in serve_step if word.startswith("--")} <= serve_options


def test_dockerfile_copies_every_package_and_module_the_project_installs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = [pattern.rstrip("*") for pattern in setuptools["packages"]["find"]["include"]]
    assert {"graph", "ingest", "api", "viz", "cli"} <= set(packages)
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile
        assert (ROOT / package / "__init__.py").is_file()
    for module in [f"{name}.py" for name in setuptools["py-modules"]] + ["pyproject.toml"]:
        assert module in dockerfile and (ROOT / module).is_file()
    assert "RUN pip install ." in dockerfile and "USER studygraph" in dockerfile
