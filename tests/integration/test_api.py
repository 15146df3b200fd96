"""Every endpoint and error of the HTTP API, through FastAPI's TestClient, on the embedded store and on a real
Bolt server (the `store` fixture runs each test on both)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import StoreUnavailable
from graph.models import DocumentGraph
from graph.store import GraphStore
from ingest.pipeline import ingest_paths
from settings import Settings
from tests.conftest import DATA, EXAMPLES
from tests.support.maps import map_records

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON_AUTH = {**AUTH, "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def example_graphs() -> list[DocumentGraph]:
    """The example notes' graphs with their texts kept, as an ingest into a store keeps them."""
    result = ingest_paths([str(EXAMPLES)], 5_000_000, {}, [], extraction="rules")
    return [graph.model_copy(update={"source": source.text})
            for source, graph in zip(result.sources, result.graphs, strict=True)]


def make_client(store: GraphStore, tmp_path: Path, **overrides: object) -> TestClient:
    settings = Settings(data_dir=tmp_path / "unused", store=store.kind, **overrides)  # type: ignore[arg-type]
    return TestClient(create_app(settings, store_factory=lambda: store), raise_server_exceptions=False)


@pytest.fixture
def client(store: GraphStore, tmp_path: Path, example_graphs: list[DocumentGraph]) -> Iterator[TestClient]:
    store.replace_documents(example_graphs)
    with make_client(store, tmp_path, api_token=TOKEN) as test_client:
        yield test_client


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text
    return body["error"]


# ---- reads ----
def test_health_reports_store_counts_and_readiness(client: TestClient, store: GraphStore) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["ready"] and body["store"] == store.kind
    assert body["documents"] == 3 and body["concepts"] > 20 and body["typed_relations"] > 20


@pytest.mark.parametrize("query", ["rope", "ROPE", "ＲｏＰＥ", "旋转位置编码", "旋轉位置編碼", "Rotary Pos", "rotarry position"])
def test_concept_search_is_case_width_script_prefix_and_fuzzy_insensitive(client: TestClient, query: str) -> None:
    items = client.get("/concepts", params={"q": query}).json()["items"]
    assert items and items[0]["name"] == "RoPE", items[:3]


def test_concept_search_pages_and_filters_by_kind(client: TestClient) -> None:
    everything = client.get("/concepts", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) > 20
    page = client.get("/concepts", params={"limit": 5, "offset": 5}).json()
    assert [c["id"] for c in page["items"]] == [c["id"] for c in everything["items"][5:10]]
    models = client.get("/concepts", params={"kind": "model", "limit": 500}).json()["items"]
    assert models and all(c["kind"] == "model" for c in models)


def test_concept_detail_has_aliases_definition_relations_with_evidence_questions_documents(client: TestClient) -> None:
    body = client.get("/concepts/旋转位置编码").json()
    assert body["id"] == client.get("/concepts/rope").json()["id"] and "旋转位置编码" in body["aliases"]
    assert body["relations"] and all(r["evidence"] and r["evidence"][0]["document"] for r in body["relations"])
    assert any(r["target_name"] == "relative position encoding" for r in body["relations"])  # RoPE 是一种相对位置编码
    assert body["documents"] == ["notes/位置编码.md"]
    dpo = client.get("/concepts/DPO").json()
    assert dpo["questions"] and dpo["questions"][0]["document"] == "notes/对齐与微调.md"


def test_unknown_concept_is_404_with_suggestions(client: TestClient) -> None:
    error = assert_error(client.get("/concepts/ropee"), 404, "concept_not_found")
    assert "RoPE" in error["details"]["suggestions"]
    error = assert_error(client.get("/paths/study", params={"target": "Grouped Query Atention"}), 404,
                         "concept_not_found")
    assert "Grouped-Query Attention" in error["details"]["suggestions"]


def test_relations_filter_by_type_and_ends(client: TestClient) -> None:
    replaces = client.get("/relations", params={"type": "REPLACES", "source": "DPO"}).json()
    assert replaces["total"] >= 1 and {r["target_name"] for r in replaces["items"]} >= {"PPO"}
    assert all(r["type"] == "REPLACES" and r["source_name"] == "DPO" for r in replaces["items"])
    into_lora = client.get("/relations", params={"target": "LoRA"}).json()["items"]
    assert any(r["source_name"] == "QLoRA" for r in into_lora)
    assert_error(client.get("/relations", params={"type": "LOVES"}), 422, "invalid_request")


def test_study_endpoints(client: TestClient) -> None:
    path = client.get("/paths/study", params={"target": "DPO"}).json()
    names = [s["name"] for s in path["steps"]]
    assert names.index("PPO") < names.index("DPO") == len(names) - 1
    assert path["steps"][0]["why"]["sentence"]
    known = client.get("/paths/study", params=[("target", "QLoRA"), ("known", "LoRA")]).json()
    known_names = [s["name"] for s in known["steps"]]
    assert known_names[-1] == "QLoRA" and "LoRA" not in known_names and "LoRA" in known["skipped_known"]
    between = client.get("/paths/between", params={"source": "MHA", "target": "GQA"}).json()
    assert between["hops"] and between["kind"] != "none"
    frontier = client.get("/next", params={"known": "positional encoding,attention"}).json()
    assert frontier and all(t["needs"] is not None for t in frontier)
    related = client.get("/related/GQA").json()
    assert {"Multi-Query Attention", "Multi-Head Attention"} & {r["name"] for r in related}
    report = client.get("/gaps", params={"a": "PPO", "b": "DPO"}).json()
    assert report["items"] and all(item["explanation"] for item in report["items"])


@pytest.mark.parametrize(("url", "params"), [
    ("/paths/study", {"target": "DPO", "max_depth": -1}), ("/paths/study", {}),
    ("/concepts", {"limit": 0}), ("/concepts", {"offset": "x"}), ("/next", {"limit": 100000}),
    ("/gaps", {"b": "DPO"}), ("/paths/between", {"source": "DPO"})])
def test_bad_parameters_are_422_with_a_clear_message(client: TestClient, url: str, params: dict) -> None:  # type: ignore[type-arg]
    error = assert_error(client.get(url, params=params), 422, "invalid_request")
    assert error["details"]["problems"][0]["where"].startswith("query.")


def test_documents_list_and_detail(client: TestClient) -> None:
    listed = client.get("/documents").json()
    assert {d["id"] for d in listed} == {"notes/attention.md", "notes/位置编码.md", "notes/对齐与微调.md"}
    detail = client.get("/documents/notes/位置编码.md").json()
    assert detail["sections"] and detail["questions"] and {"RoPE", "ALiBi"} <= {c["name"] for c in detail["concepts"]}
    assert_error(client.get("/documents/notes/nope.md"), 404, "document_not_found")


def test_export_is_the_cli_contract(client: TestClient, store: GraphStore) -> None:
    from graph.export import export_graph

    assert client.get("/export").json() == export_graph(store.graph())


def test_unknown_route_and_method_use_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/nowhere"), 404, "not_found")
    assert_error(client.put("/documents"), 405, "method_not_allowed")


# ---- writes ----
def upload(name: str, content: bytes) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, content, "text/markdown"))


NOTE = "# MoE 笔记\n\n**Mixtral** 采用 MoE 架构。\n\n**Switch Transformer** 是一种 MoE 模型。\n".encode()


def test_writes_need_the_token(client: TestClient) -> None:
    assert_error(client.post("/documents", files=[upload("moe.md", NOTE)]), 401, "unauthorized")
    wrong = client.post("/documents", files=[upload("moe.md", NOTE)], headers={"Authorization": "Bearer nope"})
    assert_error(wrong, 401, "unauthorized")
    assert_error(client.delete("/documents/notes/attention.md"), 401, "unauthorized")
    assert len(client.get("/documents").json()) == 3


def test_upload_ingests_small_files_at_once_and_delete_removes(client: TestClient) -> None:
    response = client.post("/documents", files=[upload("../../etc/moe.md", NOTE), upload("x.bin", b"\x00\x01"),
                                                upload("gbk.md", (DATA / "gbk_notes.md").read_bytes())],
                           headers=AUTH)
    assert response.status_code == 201, response.text
    report = response.json()
    # The client's folders stay in the id ('..' dropped): two README.md from two folders are two documents.
    assert report["ingested"] == ["etc/moe.md", "gbk.md"] and report["skipped"][0]["name"] == "x.bin"
    assert report["replaced"] == []
    assert client.get("/concepts/Switch Transformer").json()["documents"] == ["etc/moe.md"]
    again = client.post("/documents", files=[upload("etc/moe.md", NOTE)], headers=AUTH).json()
    assert again["unchanged"] == ["etc/moe.md"] and again["ingested"] == []
    changed = client.post("/documents", files=[upload("etc/moe.md", NOTE + b"\nMoE \xe9\x87\x87\xe7\x94\xa8 Router\n")],
                          headers=AUTH).json()
    assert changed["ingested"] == ["etc/moe.md"] and changed["replaced"] == ["etc/moe.md"]  # said, not silent
    removed = client.delete("/documents/etc/moe.md", headers=AUTH)
    assert removed.status_code == 200 and removed.json()["removed"] == "etc/moe.md"
    assert_error(client.get("/concepts/Switch Transformer"), 404, "concept_not_found")
    assert_error(client.delete("/documents/etc/moe.md", headers=AUTH), 404, "document_not_found")


def test_uploads_with_the_same_base_name_from_different_folders_stay_apart(client: TestClient) -> None:
    files = [upload(f"part{i}/README.md", NOTE.replace(b"MoE", f"MoE{i}".encode())) for i in range(12)]
    report = client.post("/documents", files=files, headers=AUTH).json()
    assert sorted(report["ingested"]) == sorted(f"part{i}/README.md" for i in range(12)) and not report["skipped"]
    twice = client.post("/documents", files=[upload("a/x.md", NOTE), upload("a/x.md", NOTE)], headers=AUTH).json()
    assert twice["skipped"] == [{"name": "a/x.md", "reason": "another file in this upload has the same name"}]


def test_an_upload_of_content_the_store_holds_under_another_name_is_a_duplicate(client: TestClient) -> None:
    first = client.post("/documents", files=[upload("moe.md", NOTE)], headers=AUTH).json()
    again = client.post("/documents", files=[upload("copies/moe-copy.md", NOTE)], headers=AUTH).json()
    assert again["ingested"] == [] and again["documents"] == first["documents"]
    assert again["skipped"] == [{"name": "copies/moe-copy.md", "reason": "same content as moe.md; not counted twice"}]


@pytest.mark.parametrize(("files", "status", "code"), [
    ([upload("bin.md", b"\x00\x01\x02" * 100)], 422, "input_refused"),
    ([upload("empty.md", b"  \n")], 422, "input_refused"),
    ([upload(f"n{i}.md", NOTE) for i in range(4)], 413, "too_many_files"),
    ([upload("big.md", b"# big\n" + b"x" * 3000)], 422, "input_refused"),
])
def test_bad_uploads_are_refused_clearly(store: GraphStore, tmp_path: Path, example_graphs: list[DocumentGraph],
                                         files: list, status: int, code: str) -> None:  # type: ignore[type-arg]
    store.replace_documents(example_graphs)
    with make_client(store, tmp_path, max_upload_files=3, max_file_bytes=2048) as limited:
        error = assert_error(limited.post("/documents", files=files), status, code)
        assert error["details"]
        assert len(limited.get("/documents").json()) == 3


def test_a_body_over_the_limit_is_refused_before_it_is_read(store: GraphStore, tmp_path: Path) -> None:
    with make_client(store, tmp_path, max_upload_files=1, max_file_bytes=1024) as limited:
        assert_error(limited.post("/documents", files=[upload("big.md", b"x" * 200_000)]), 413, "payload_too_large")


def test_large_uploads_become_jobs_with_progress(store: GraphStore, tmp_path: Path) -> None:
    with make_client(store, tmp_path, sync_ingest_bytes=10) as small_sync:
        notes = [upload(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.md"))]
        response = small_sync.post("/documents", files=notes)
        assert response.status_code == 202, response.text
        job = response.json()
        assert response.headers["location"] == f"/jobs/{job['id']}" and job["state"] in ("queued", "running")
        for _ in range(600):
            job = small_sync.get(f"/jobs/{job['id']}").json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.05)
        assert job["state"] == "done", job
        assert job["result"]["ingested"] == sorted(p.name for p in EXAMPLES.glob("*.md"))
        assert job["done"] == job["total"] == 3
        assert small_sync.get("/health").json()["documents"] == 3
        assert_error(small_sync.get("/jobs/nope"), 404, "job_not_found")


def test_readers_see_whole_documents_while_a_job_writes(store: GraphStore, tmp_path: Path,
                                                       example_graphs: list[DocumentGraph]) -> None:
    """Counts read during an ingest are always the before or the after state, never in between."""
    store.replace_documents(example_graphs[:1])
    with make_client(store, tmp_path, sync_ingest_bytes=10) as c:
        before = c.get("/health").json()
        notes = [upload(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.md"))]
        job = c.post("/documents", files=notes).json()
        seen = set()
        while c.get(f"/jobs/{job['id']}").json()["state"] not in ("done", "failed"):
            health = c.get("/health").json()
            seen.add((health["documents"], health["concepts"]))
            concepts = c.get("/concepts", params={"limit": 500}).json()
            assert concepts["total"] in {before["concepts"], *(s[1] for s in seen)} or concepts["total"] > 0
        after = c.get("/health").json()
        assert seen <= {(before["documents"], before["concepts"]), (after["documents"], after["concepts"])}
        assert after["documents"] == 3  # the upload's attention.md repeats the stored notes/attention.md
        assert [s["name"] for s in c.get(f"/jobs/{job['id']}").json()["result"]["skipped"]] == ["attention.md"]


def test_writes_from_another_process_are_seen_on_the_next_read(client: TestClient, store: GraphStore) -> None:
    assert client.get("/health").json()["documents"] == 3
    store.replace_documents([], removed=["notes/attention.md"])
    assert client.get("/health").json()["documents"] == 2
    assert_error(client.get("/documents/notes/attention.md"), 404, "document_not_found")


# ---- store down ----
def test_health_is_503_and_reads_say_why_while_the_store_is_unreachable(tmp_path: Path) -> None:
    attempts = []

    def unreachable() -> GraphStore:
        attempts.append(1)
        raise StoreUnavailable("cannot reach Neo4j at bolt://127.0.0.1:1; is the server running?")

    settings = Settings(data_dir=tmp_path, store="neo4j")
    with TestClient(create_app(settings, store_factory=unreachable), raise_server_exceptions=False) as c:
        health = c.get("/health")
        assert health.status_code == 503 and health.json()["ready"] is False and "bolt://" in health.json()["message"]
        assert_error(c.get("/concepts/rope"), 503, "store_unavailable")
    assert len(attempts) == 3  # startup and every request try again: the server recovers when the store is back


def test_no_stack_trace_leaks_from_an_unexpected_error(tmp_path: Path) -> None:
    class Broken:
        kind = "embedded"

        def revision(self) -> str:
            raise RuntimeError("secret internal detail")

        def close(self) -> None:
            return None

    with TestClient(create_app(Settings(data_dir=tmp_path), store_factory=lambda: Broken()),  # type: ignore[arg-type, return-value]
                    raise_server_exceptions=False) as c:
        error = assert_error(c.get("/concepts"), 500, "internal_error")
        assert "secret" not in error["message"]


def test_cors_is_off_unless_origins_are_configured(store: GraphStore, tmp_path: Path) -> None:
    origin = {"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"}
    with make_client(store, tmp_path) as closed:
        assert "access-control-allow-origin" not in closed.options("/concepts", headers=origin).headers
    with make_client(store, tmp_path, cors_origins=["http://notes.example"]) as opened:
        allowed = opened.options("/concepts", headers={**origin, "Origin": "http://notes.example"})
        assert allowed.headers["access-control-allow-origin"] == "http://notes.example"
        assert "access-control-allow-origin" not in opened.get("/health", headers=origin).headers


def test_concurrent_reads_agree(client: TestClient) -> None:
    answers: list[list[str]] = []

    def read() -> None:
        answers.append([s["name"] for s in client.get("/paths/study", params={"target": "QLoRA"}).json()["steps"]])

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8 and all(a == answers[0] and a[-1] == "QLoRA" for a in answers)


def test_map_pages_draw_the_same_answers_as_the_json_endpoints(client: TestClient) -> None:
    whole = client.get("/map")
    assert whole.status_code == 200 and whole.headers["content-type"].startswith("text/html")
    assert whole.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert len(map_records(whole.text)) == client.get("/health").json()["concepts"]
    focus = map_records(client.get("/map", params={"concept": "旋转位置编码", "radius": 1}).text)
    assert "rope" in {n["id"] for n in focus} and len(focus) < len(map_records(whole.text))
    plan = client.get("/paths/study", params={"target": "DPO"}).json()
    drawn = map_records(client.get("/map/path", params={"target": "DPO"}).text)
    assert [n["label"] for n in drawn] == [f"{s['order']}. {s['name']}" for s in plan["steps"]]
    gaps_page = client.get("/map/gaps", params={"a": "LoRA", "b": "QLoRA"})
    report = client.get("/gaps", params={"a": "LoRA", "b": "QLoRA"}).json()
    labels = {"bridging": "bridging concept", "unexplained": "unexplained concept", "unanswered": "unanswered question",
              "missing_link": "missing link", "missing_prerequisite": "missing prerequisite"}
    assert gaps_page.status_code == 200 and report["items"]
    assert all(labels[item["kind"]] in gaps_page.text for item in report["items"])
    capped = client.get("/map", params={"cap": 5}).text
    assert len(map_records(capped)) == 5 and "showing the 5 most connected" in capped


def test_map_errors_are_the_api_errors(client: TestClient) -> None:
    missing = assert_error(client.get("/map", params={"concept": "ropee"}), 404, "concept_not_found")
    assert "RoPE" in missing["details"]["suggestions"]
    assert_error(client.get("/map", params={"radius": 9}), 422, "invalid_request")
    assert_error(client.get("/map/path"), 422, "invalid_request")


def test_study_page_is_server_rendered_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "studygraph" in page.text and 'src="/static/page.js"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'data-concept="rope"' in page.text  # the frequent concepts, rendered on the server
    script = client.get("/static/page.js")
    assert script.status_code == 200 and ".innerHTML" not in script.text  # note text only as textContent
    assert "/" not in client.get("/openapi.json").json()["paths"]  # the page is not part of the API schema


def test_import_needs_the_token_checks_the_body_and_can_replace(client: TestClient) -> None:
    exported = client.get("/export").content
    assert_error(client.post("/import", content=exported), 401, "unauthorized")
    assert_error(client.post("/import", content=b"{oops", headers=JSON_AUTH), 422, "input_refused")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None):
        headers = {**AUTH, "content-type": content_type} if content_type else AUTH
        assert_error(client.post("/import", content=exported, headers=headers), 415, "unsupported_media_type")
    small = ('{"concepts": [{"id": "dpo", "name": "DPO"}, {"id": "ppo", "name": "PPO"}], "relations": [{"source": '
             '"dpo", "target": "ppo", "type": "REPLACES", "confidence": 0.8, "evidence": [{"document": "mine.md", '
             '"line": 1, "text": "DPO 取代 PPO"}]}]}').encode()
    added = client.post("/import", content=small, headers=JSON_AUTH)
    assert added.status_code == 200, added.text
    assert added.json()["imported"] == ["mine.md"] and added.json()["documents"] == 4
    replaced = client.post("/import?replace=true", content=small, headers=JSON_AUTH).json()
    assert replaced["documents"] == 1 and len(replaced["removed"]) == 3
    restored = client.post("/import?replace=true", content=exported, headers=JSON_AUTH).json()
    assert restored["documents"] == 3 and client.get("/export").content == exported
