"""The profile endpoints on both stores: token-guarded writes, names resolved against the graph, study endpoints
planning from a profile's known concepts, and a practice history that outlives its document."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from graph.store import GraphStore
from tests.integration.test_api import AUTH, assert_error, client, example_graphs  # noqa: F401  (fixtures)


def test_a_new_profile_is_empty_and_writes_need_the_token(client: TestClient) -> None:  # noqa: F811
    assert client.get("/profiles/me").json() == {"name": "me", "known": [], "goals": [], "history": [], "cards": {},
                                                     "known_since": {}, "history_total": 0}
    assert_error(client.post("/profiles/me/known", json={"concepts": ["RoPE"]}), 401, "unauthorized")
    assert_error(client.post("/profiles/me/goals", json={"concept": "DPO"}), 401, "unauthorized")
    assert_error(client.delete("/profiles/me/goals/DPO"), 401, "unauthorized")
    assert client.get("/profiles/me").json()["known"] == []


def test_known_and_goals_are_resolved_and_kept(client: TestClient, store: GraphStore) -> None:  # noqa: F811
    revision = store.revision()
    body = client.post("/profiles/me/known", json={"concepts": ["rope", "PPO"]}, headers=AUTH).json()
    assert body["known"] == ["rope", "ppo"]
    error = assert_error(client.post("/profiles/me/known", json={"concepts": ["ropee"]}, headers=AUTH), 404,
                         "concept_not_found")
    assert "RoPE" in error["message"]
    client.post("/profiles/me/known", json={"concepts": ["RoPE"], "forget": True}, headers=AUTH)
    client.post("/profiles/me/goals", json={"concept": "DPO", "by": "2027-01-15"}, headers=AUTH)
    client.post("/profiles/me/goals", json={"concept": "dpo", "by": "2027-02-01"}, headers=AUTH)
    assert client.get("/profiles/me").json()["goals"] == [{"concept": "dpo", "by": "2027-02-01"}]
    assert client.delete("/profiles/me/goals/DPO", headers=AUTH).json()["goals"] == []
    assert client.get("/profiles/me").json()["known"] == ["ppo"] and store.revision() == revision


def test_study_endpoints_plan_from_the_profile_unless_known_is_given(client: TestClient) -> None:  # noqa: F811
    client.post("/profiles/me/known", json={"concepts": ["PPO"]}, headers=AUTH)
    anonymous = client.get("/paths/study", params={"target": "DPO"}).json()
    profiled = client.get("/paths/study", params={"target": "DPO", "profile": "me"}).json()
    given = client.get("/paths/study", params={"target": "DPO", "profile": "me", "known": "RoPE"}).json()
    assert "PPO" not in anonymous["skipped_known"] and "PPO" in profiled["skipped_known"]
    assert "PPO" not in given["skipped_known"]
    nexts = client.get("/next", params={"profile": "me"}).json()
    assert nexts == client.get("/next", params={"known": "PPO"}).json()
    assert all(topic["concept"] != "ppo" for topic in nexts)


def test_a_review_keeps_its_question_readable_after_the_document_goes(client: TestClient) -> None:  # noqa: F811
    document = client.get("/documents").json()[0]["id"]
    question = client.get(f"/documents/{document}").json()["questions"][0]
    assert_error(client.post("/profiles/me/reviews", json={"question": "nope", "grade": "good"}, headers=AUTH),
                 404, "question_not_found")
    assert_error(client.post("/profiles/me/reviews", json={"question": question["id"], "grade": "fine"},
                             headers=AUTH), 422, "invalid_request")
    client.post("/profiles/me/reviews", json={"question": question["id"], "grade": "hard"}, headers=AUTH)
    assert client.delete(f"/documents/{document}", headers=AUTH).status_code == 200
    history = client.get("/profiles/me").json()["history"]
    assert [(r["question"], r["text"], r["grade"]) for r in history] == [(question["id"], question["text"], "hard")]


def test_a_known_concept_whose_document_went_is_passed_over(client: TestClient) -> None:  # noqa: F811
    document = client.get("/documents").json()[0]["id"]
    concepts = [c["id"] for c in client.get(f"/documents/{document}").json()["concepts"]]
    client.post("/profiles/me/known", json={"concepts": concepts}, headers=AUTH)
    client.delete(f"/documents/{document}", headers=AUTH)
    remaining = {c["id"] for c in client.get("/concepts", params={"limit": 500}).json()["items"]}
    assert set(concepts) - remaining  # the profile knows concepts the graph no longer has
    assert client.get("/next", params={"profile": "me"}).status_code == 200
    target = sorted(remaining)[0]
    assert client.get("/paths/study", params={"target": target, "profile": "me"}).status_code == 200


def test_a_practice_round_grades_by_fsrs_and_progress_shows_it(client: TestClient) -> None:  # noqa: F811
    assert client.get("/profiles/me/practice").json()["due"] == []  # no goal: nothing to practise
    client.post("/profiles/me/goals", json={"concept": "DPO", "by": "2027-01-15"}, headers=AUTH)
    client.post("/profiles/me/goals", json={"concept": "RoPE"}, headers=AUTH)
    first = client.get("/profiles/me/practice").json()
    assert [g["concept"] for g in first["goals"]] == ["dpo", "rope"] and first["due_count"] >= 3, first
    cards = first["due"][:3]
    assert all(card["answer"].strip() and card["new"] for card in cards)
    for card in cards:
        graded = client.post("/profiles/me/reviews", json={"question": card["question"]["id"], "grade": "good"},
                             headers=AUTH).json()
        assert card["question"]["id"] in graded["cards"]  # rescheduled, not only logged
    after = client.get("/profiles/me/practice").json()
    assert after["due_count"] == first["due_count"] - 3
    assert not {c["question"]["id"] for c in cards} & {c["question"]["id"] for c in after["due"]}
    if not after["due"]:
        assert after["next_due"] > graded["cards"][cards[-1]["question"]["id"]]["last_review"]
    client.post("/profiles/me/known", json={"concepts": [first["due"][0]["concept"]]}, headers=AUTH)
    report = client.get("/profiles/me/progress", params={"minutes_per_day": 45}).json()
    dpo, rope = report["goals"]
    assert dpo["goal"] == "dpo" and dpo["by"] == "2027-01-15" and dpo["reviewed"] + rope["reviewed"] == 3
    assert {s["status"] for g in report["goals"] for s in g["steps"]} >= {"known", "learning"}
    timeline = report["timeline"]
    assert timeline["reviews"][-1]["good"] == 3 and len(timeline["days"]) == len(timeline["goals"][0]["done"])
    assert all(0 < series["done"][-1] <= 1 for series in timeline["goals"])
    assert_error(client.get("/profiles/me/practice", params={"goal": "ropee"}), 404, "concept_not_found")


def test_profile_names_are_normalised_and_invisible_characters_refused(client: TestClient) -> None:  # noqa: F811
    client.post("/profiles/me/known", json={"concepts": ["PPO"]}, headers=AUTH)
    for same in ("ME", " me ", "ＭＥ", "Me"):
        assert client.get(f"/profiles/{quote(same)}").json()["known"] == ["ppo"], same
        assert "PPO" in client.get("/paths/study", params={"target": "DPO", "profile": same}).json()["skipped_known"]
    for hidden in ("me%E2%80%AE", "me%00", "m%0D%0Ae", "%E2%80%8Bme"):  # bidi override, NUL, CR LF, zero width
        assert_error(client.get(f"/profiles/{hidden}"), 422, "invalid_request")
        assert_error(client.post(f"/profiles/{hidden}/known", json={"concepts": ["PPO"]}, headers=AUTH), 422,
                     "invalid_request")
    assert_error(client.get("/next", params={"profile": "me\u202e"}), 422, "invalid_request")


def test_an_answer_carries_the_latest_reviews_and_their_count(client: TestClient) -> None:  # noqa: F811
    document = client.get("/documents").json()[0]["id"]
    question = client.get(f"/documents/{document}").json()["questions"][0]["id"]
    for grade in ("again", "hard", "good"):
        answer = client.post("/profiles/me/reviews?history=1", json={"question": question, "grade": grade},
                             headers=AUTH).json()
    assert answer["history_total"] == 3 and [r["grade"] for r in answer["history"]] == ["good"]
    assert [r["grade"] for r in client.get("/profiles/me").json()["history"]] == ["again", "hard", "good"]
    assert client.get("/profiles/me?history=0").json()["history"] == []
