"""The study page's learner profile in a real headless Chromium: marking a concept known, a practice round graded
card by card, and the progress view with its two SVG plots, against a server that takes writes only with its
token. Screenshots go to tests/artifacts/browser/.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.browser import CHROMIUM
from tests.support.server import CLI, ROOT, running_server
from tests.support.study_page import Watched

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "needs Debian's chromium at /usr/bin/chromium (.ci/run installs it: apt-get install chromium)"))]

TOKEN = "study-browser-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# The example notes answer three questions on the study paths to DPO and RoPE together.
GOALS = ("DPO", "RoPE")
ANSWERED_ON_GOALS = 3


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("browser-study") / "store"
    env = {**os.environ, "STUDYGRAPH_DATA_DIR": str(data_dir)}
    env.pop("STUDYGRAPH_API_TOKEN", None)
    subprocess.run([*CLI, "ingest", "--quiet", str(ROOT / "examples" / "notes")], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    with running_server(data_dir, env={"STUDYGRAPH_API_TOKEN": TOKEN}) as url:
        yield url


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    page = Watched(browser, 1400, 1000)
    yield page
    page.page.close()


def profile(base: str, name: str) -> dict[str, Any]:
    return httpx.get(f"{base}/profiles/{name}").json()


def test_marking_a_concept_known_writes_the_profile_with_the_token(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    assert page.locator("#profile").input_value() == "me"
    assert page.locator("#upload-token").is_visible()  # one token field for every write
    page.locator(".concept-link[data-concept=rope]").click()
    page.locator("#concept h3").wait_for()
    button = page.locator("#mark-known")
    button.wait_for()
    assert button.inner_text() == "I know this"

    # Without the token the page asks for it and writes nothing.
    button.click()
    banner = page.locator("#banner")
    banner.wait_for(state="visible")
    assert "token" in banner.inner_text()
    assert "rope" not in profile(base, "me")["known"]

    page.fill("#upload-token", TOKEN)
    button.click()
    page.locator("#mark-known[data-known=true]").wait_for()
    banner.wait_for(state="hidden")
    assert "rope" in profile(base, "me")["known"]
    assert page.locator("#mark-known").inner_text() == "Known ✓ — mark not known"
    assert "me knows RoPE" in page.locator("#concept-profile-state").inner_text()

    page.click("#set-goal")
    page.locator("#set-goal[data-goal=true]").wait_for()
    assert "rope" in [goal["concept"] for goal in profile(base, "me")["goals"]]
    assert "a goal" in page.locator("#concept-profile-state").inner_text()
    watched.screenshot("mark-known.png")

    # A study path with nothing typed under "I know" skips what the profile knows, and says so.
    page.fill("#path-target", "RoPE")
    page.click("#path-form button")
    page.locator("#path-steps > li").first.wait_for()
    assert "known per profile me" in page.locator("#path-note").inner_text()

    # Undo, and again: the button follows the profile.
    page.click("#tab-concept")
    page.click("#mark-known")
    page.locator("#mark-known[data-known=false]").wait_for()
    assert "rope" not in profile(base, "me")["known"]
    page.click("#mark-known")
    page.locator("#mark-known[data-known=true]").wait_for()
    assert "rope" in profile(base, "me")["known"]
    assert watched.unexpected_errors() == [] and watched.leaving() == []


def test_a_practice_round_shows_each_answer_and_records_each_grade(base: str, watched: Watched) -> None:
    for goal in GOALS:
        httpx.post(f"{base}/profiles/me/goals", json={"concept": goal, "by": None}, headers=AUTH).raise_for_status()
    before = profile(base, "me")
    assert before["cards"] == {} and before["history"] == []
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#upload-token", TOKEN)
    page.click("#tab-practice")
    assert page.locator("#panel-practice").is_visible()
    assert page.locator("#tab-practice").get_attribute("aria-selected") == "true"
    page.click("#practice-start")
    for number in range(ANSWERED_ON_GOALS):
        page.locator("#practice-count", has_text=f"{number} reviewed, {ANSWERED_ON_GOALS - number} due").wait_for()
        question = page.locator("#practice-question")
        question.wait_for(state="visible")
        assert question.inner_text().strip()
        assert ".md:" in page.locator("#practice-where").inner_text()
        assert page.locator("#practice-answer").is_hidden() and page.locator("#grade-good").is_hidden()
        page.click("#practice-show")
        answer = page.locator("#practice-answer")
        answer.wait_for(state="visible")
        assert answer.inner_text().strip()
        assert answer.locator("*").count() == 0  # the notes' text as text, never as markup
        assert page.locator("#practice-grades button").count() == 4
        if number == 0:
            watched.screenshot("practice.png")
            page.click("#grade-good")
        else:
            page.keyboard.press("3")  # keys 1-4 grade again/hard/good/easy
    done = page.locator("#practice-done")
    done.wait_for(state="visible")
    assert "nothing more is due" in done.inner_text().lower()
    assert f"{ANSWERED_ON_GOALS} reviewed, 0 due" in page.locator("#practice-count").inner_text()
    assert page.locator("#practice-card").is_hidden()
    after = profile(base, "me")
    assert len(after["cards"]) == ANSWERED_ON_GOALS
    assert len(after["history"]) == ANSWERED_ON_GOALS
    assert {review["grade"] for review in after["history"]} == {"good"}
    watched.screenshot("practice-done.png")
    assert watched.unexpected_errors() == [] and watched.leaving() == []


def test_questions_left_to_write_open_the_gap_report(base: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{base}/")
    page.click("#tab-practice")
    page.fill("#practice-goal", "Transformer")
    page.click("#practice-start")
    write = page.locator("#practice-write li")
    write.first.wait_for()
    round_ = httpx.get(f"{base}/profiles/me/practice", params={"goal": "Transformer"}).json()
    assert write.count() == len(round_["to_write"]) > 0
    first = round_["to_write"][0]
    assert first["text"] in write.first.inner_text()
    assert f"{first['document']}:{first['line']}" in write.first.inner_text()
    write.first.locator("button").click()
    page.locator("#gaps-items li").first.wait_for()
    assert page.locator("#tab-gaps").get_attribute("aria-selected") == "true"
    assert page.locator("#gaps-a").input_value() == "Transformer"
    assert watched.unexpected_errors() == [] and watched.leaving() == []


def test_progress_shows_each_goal_and_draws_both_plots(base: str, watched: Watched) -> None:
    name = "learner-two"
    page = watched.page
    page.goto(f"{base}/")
    page.fill("#profile", name)
    page.locator("#profile").dispatch_event("change")
    page.fill("#upload-token", TOKEN)
    page.click("#tab-progress")
    empty = page.locator("#progress-empty")
    empty.wait_for(state="visible")
    assert "no goals yet" in empty.inner_text() and "Add one" in empty.inner_text()
    assert page.locator("#progress-chart").count() == 0

    # Two goals from the page's own form, one with a date.
    page.fill("#goal-concept", "DPO")
    page.click("#goal-form button")
    page.locator(".goal-progress[data-goal=dpo]").wait_for()
    page.fill("#goal-concept", "RoPE")
    page.fill("#goal-by", "2099-12-31")
    page.click("#goal-form button")
    page.locator(".goal-progress[data-goal=rope]").wait_for()
    goals = profile(base, name)["goals"]
    assert [(goal["concept"], goal["by"]) for goal in goals] == [("dpo", None), ("rope", "2099-12-31")]

    # Some study on the side: one concept known, every answered question on the plans reviewed.
    httpx.post(f"{base}/profiles/{name}/known", json={"concepts": ["PPO"]}, headers=AUTH).raise_for_status()
    due = httpx.get(f"{base}/profiles/{name}/practice").json()["due"]
    grades = ["good", "again", "easy"][:len(due)]
    for card, grade in zip(due, grades, strict=True):
        httpx.post(f"{base}/profiles/{name}/reviews", json={"question": card["question"]["id"], "grade": grade},
                   headers=AUTH).raise_for_status()
    page.fill("#minutes-per-day", "45")
    page.locator("#minutes-per-day").dispatch_event("change")
    report = httpx.get(f"{base}/profiles/{name}/progress", params={"minutes_per_day": 45}).json()
    page.locator(".goal-progress[data-goal=dpo] .tag.known").first.wait_for()

    blocks = page.locator(".goal-progress")
    assert blocks.count() == len(report["goals"]) == 2
    for number, goal in enumerate(report["goals"]):
        block = blocks.nth(number)
        text = block.inner_text()
        assert goal["name"] in text and f"estimate {goal['estimate']}" in text
        statuses = block.locator(".goal-steps .tag").all_inner_texts()
        assert statuses == [step["status"] for step in goal["steps"]]
        assert f"reviewed {goal['reviewed']}" in text and f"due today {goal['due_today']}" in text
        if goal["retention"] is not None:
            assert f"{round(goal['retention'] * 100)}%" in text
        assert block.locator("button.drop-goal").count() == 1
    assert "on track" in blocks.nth(1).inner_text()  # by 2099
    assert "ppo" in [s["concept"] for s in report["goals"][0]["steps"] if s["status"] == "known"]

    chart = page.locator("#progress-chart")
    assert chart.is_visible()
    assert chart.get_attribute("aria-label") and chart.locator("title").first.text_content()
    for goal in report["goals"]:
        series = chart.locator(f"g.series[data-goal={goal['goal']}]")
        assert series.locator("polyline, path, circle").count() >= 1
    legend = chart.locator(".legend-label").all_text_contents()
    assert legend == [goal["name"] for goal in report["goals"]]
    assert {"0%", "100%"} <= set(chart.locator(".axis-label").all_text_contents())

    reviews = page.locator("#reviews-chart")
    assert reviews.is_visible() and reviews.get_attribute("aria-label")
    counts = [int(c) for c in reviews.locator("rect.bar").evaluate_all("bars => bars.map(b => b.dataset.count)")]
    assert sum(counts) == len(grades) == sum(
        day["again"] + day["hard"] + day["good"] + day["easy"] for day in report["timeline"]["reviews"])
    assert set(reviews.locator(".legend-label").all_text_contents()) == {"again", "hard", "good", "easy"}
    watched.screenshot("progress.png")
    reviews.scroll_into_view_if_needed()
    watched.screenshot("progress-charts.png")

    # The profile name is remembered in this browser; the token is not.
    page.reload()
    assert page.locator("#profile").input_value() == name
    assert page.locator("#upload-token").input_value() == ""
    assert TOKEN not in page.evaluate("JSON.stringify(Object.assign({}, localStorage))")

    # Dropping a goal from its block.
    page.fill("#upload-token", TOKEN)
    page.click("#tab-progress")
    page.locator(".goal-progress[data-goal=dpo] button.drop-goal").click()
    page.locator(".goal-progress[data-goal=dpo]").wait_for(state="detached")
    assert [goal["concept"] for goal in profile(base, name)["goals"]] == ["rope"]

    # Over several days: a line per goal with a point per day, and a stacked bar per day (the plots drawn from a
    # made-up timeline, as reviews through the API all fall on today).
    drawn = page.evaluate("""() => {
        const days = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"];
        const timeline = {days, goals: [{goal: "a", name: "first goal", done: [0, 0.25, 0.5, 1]},
                                        {goal: "b", name: "second goal", done: [0, 0, 0.2, 0.4]}],
                          reviews: days.map((day, i) => ({day, again: i % 2, hard: 1, good: i, easy: 0}))};
        const lines = progressChart(timeline), bars = reviewsChart(timeline);
        document.getElementById("progress-charts").replaceChildren(lines, bars);
        return {lines: lines.querySelectorAll("polyline").length,
                points: lines.querySelector("polyline").getAttribute("points").split(" ").length,
                total: [...bars.querySelectorAll("rect.bar")].reduce((n, bar) => n + Number(bar.dataset.count), 0)};
    }""")
    assert drawn == {"lines": 2, "points": 4, "total": 2 + 4 + 6}
    page.locator("#progress-chart").scroll_into_view_if_needed()
    watched.screenshot("progress-chart-days.png")
    assert watched.unexpected_errors() == [] and watched.leaving() == []
