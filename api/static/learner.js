// The study page, the learner's part: profile name and token, marking known, practice and progress.
// Uses page.js (loaded first) and charts.js; every piece of note text goes in through textContent.
"use strict";

let shownConcept = null;

// The concept's place in the profile: known or not, a goal or not, each a button that changes it.
async function showConceptProfile(profile) {
  const box = $("concept-profile");
  if (!box || !shownConcept) return;
  const concept = shownConcept;
  try {
    profile = profile || await getJSON(profilePath());
  } catch (error) {
    showError(error);
    return;
  }
  if (shownConcept !== concept) return;
  const known = profile.known.includes(concept.id);
  const goal = profile.goals.find((item) => item.concept === concept.id);
  const markKnown = element("button", known ? "Known ✓ — mark not known" : "I know this");
  markKnown.type = "button";
  markKnown.id = "mark-known";
  markKnown.dataset.known = String(known);
  markKnown.addEventListener("click", () => profileWrite(
    "POST", profilePath("/known"), {concepts: [concept.id], forget: known}));
  const setGoal = element("button", goal ? "Goal ✓ — drop it" : "make it a goal");
  setGoal.type = "button";
  setGoal.id = "set-goal";
  setGoal.dataset.goal = String(Boolean(goal));
  setGoal.addEventListener("click", () => goal
    ? profileWrite("DELETE", profilePath(`/goals/${encodeURIComponent(concept.id)}`))
    : profileWrite("POST", profilePath("/goals"), {concept: concept.id, by: null}));
  const states = [known ? `${profile.name} knows ${concept.name}` : `${profile.name} does not know ${concept.name} yet`];
  if (goal) states.push(`a goal${goal.by ? " by " + goal.by : ""}`);
  const state = element("p", states.join("; "), "muted small");
  state.id = "concept-profile-state";
  state.setAttribute("aria-live", "polite");
  const buttons = element("p");
  buttons.append(markKnown, " ", setGoal);
  box.replaceChildren(element("h4", `profile ${profile.name}`), buttons, state);
}

async function profileWrite(method, path, body) {
  try {
    const profile = await writeJSON(method, path, body);
    if (!profile) return;
    showError(null);
    await showConceptProfile(profile);
  } catch (error) {
    showError(error);
  }
}

// ---- the profile field: its name is remembered in this browser, the token never is ----
function setupProfile() {
  let saved = null;
  try { saved = localStorage.getItem(PROFILE_KEY); } catch (error) { saved = null; }
  $("profile").value = saved || "me";
  $("profile").addEventListener("change", () => {
    $("profile").value = profileName();
    try { localStorage.setItem(PROFILE_KEY, profileName()); } catch (error) { /* private mode: not remembered */ }
    resetPractice();
    showConceptProfile();
    const tab = selectedTab();
    if (tab === "progress" || tab === "practice") tabShown(tab);
  });
}

function tabShown(name) {
  if (name === "practice") fillGoalChoices();
  if (name === "progress") loadProgress();
}

// ---- practice: one due card at a time, graded by the learner, scheduled by FSRS on the server ----
const GRADES = ["again", "hard", "good", "easy"];
const practice = {round: null, card: null, reviewed: 0, goal: "", busy: false};

async function fillGoalChoices() {
  try {
    const profile = await getJSON(profilePath());
    $("practice-goals").replaceChildren(...profile.goals.map((goal) => {
      const option = element("option");
      option.value = goal.concept;
      return option;
    }));
    $("practice-goal").placeholder = profile.goals.length
      ? `all my goals (${profile.goals.map((goal) => goal.concept).join(", ")}), or a concept`
      : "a concept (no goals yet: add one under Progress)";
  } catch (error) {
    showError(error);
  }
}

function resetPractice() {
  Object.assign(practice, {round: null, card: null, reviewed: 0, goal: "", busy: false});
  $("practice-card").hidden = true;
  $("practice-done").hidden = true;
  $("practice-write-box").hidden = true;
  $("practice-count").textContent = "";
  $("practice-intro").hidden = false;
}

async function startPractice(event) {
  if (event) event.preventDefault();
  resetPractice();
  practice.goal = $("practice-goal").value.trim();
  await nextCard();
}

async function nextCard() {
  try {
    const round = await getJSON(profilePath("/practice"), {goal: practice.goal, limit: 20});
    practice.round = round;
    practice.card = round.due[0] || null;
    showError(null);
  } catch (error) {
    showError(error);
    return;
  }
  const {round, card} = practice;
  $("practice-intro").hidden = true;
  $("practice-count").textContent = `${practice.reviewed} reviewed, ${round.due_count} due` +
    (round.goals.length ? ` — on the study paths to ${round.goals.map((goal) => goal.name).join(", ")}` : "") +
    (round.gone.length ? ` (goals no longer in the notes: ${round.gone.join(", ")})` : "");
  $("practice-card").hidden = !card;
  const done = $("practice-done");
  done.hidden = Boolean(card);
  done.textContent = round.goals.length || practice.goal
    ? "Nothing more is due" + (round.next_due
      ? `: the next review falls due ${new Date(round.next_due).toLocaleString([], {dateStyle: "medium", timeStyle: "short"})}.`
      : ".")
    : "Nothing to practise: this profile has no goals yet. Add one under Progress, or type a concept above.";
  if (card) {
    $("practice-concept").textContent = `${card.concept_name || card.concept}${card.new ? " · new" : ""}`;
    $("practice-question").textContent = card.question.text;
    $("practice-where").textContent = `${card.question.document}:${card.question.line}`;
    $("practice-answer").textContent = card.answer;
    $("practice-answer").hidden = true;
    $("practice-grades").hidden = true;
    $("practice-show").hidden = false;
    $("practice-show").focus();
  }
  showToWrite(round);
}

function showToWrite(round) {
  const topic = practice.goal || (round.goals[0] ? round.goals[0].name : "");
  $("practice-write").replaceChildren(...round.to_write.map((question) => {
    const item = element("li");
    item.append(`${question.text} `, element("code", `${question.document}:${question.line}`));
    if (topic) {
      const gaps = element("button", `gaps around ${topic}`, "small");
      gaps.type = "button";
      gaps.addEventListener("click", () => {
        $("gaps-a").value = topic;
        $("gaps-b").value = "";
        findGaps();
      });
      item.append(" ", gaps);
    }
    return item;
  }));
  $("practice-write-box").hidden = !round.to_write.length;
}

function showAnswer() {
  if (!practice.card) return;
  $("practice-answer").hidden = false;
  $("practice-grades").hidden = false;
  $("practice-show").hidden = true;
  $("grade-good").focus();
}

async function grade(name) {
  const card = practice.card;
  if (!card || practice.busy || $("practice-grades").hidden) return;
  practice.busy = true;
  try {
    const profile = await writeJSON("POST", profilePath("/reviews"), {question: card.question.id, grade: name});
    if (!profile) return;
    practice.reviewed += 1;
    await nextCard();
  } catch (error) {
    showError(error);
  } finally {
    practice.busy = false;
  }
}

function setupPractice() {
  $("practice-form").addEventListener("submit", startPractice);
  $("practice-show").addEventListener("click", showAnswer);
  for (const name of GRADES) $(`grade-${name}`).addEventListener("click", () => grade(name));
  document.addEventListener("keydown", (event) => {
    if (selectedTab() !== "practice" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
    const index = ["1", "2", "3", "4"].indexOf(event.key);
    if (index >= 0 && !$("practice-grades").hidden) {
      event.preventDefault();
      grade(GRADES[index]);
    }
  });
}

// ---- progress: a block per goal, then the two plots (charts.js) ----
function goalBlock(goal) {
  const block = element("section", null, "goal-progress");
  block.dataset.goal = goal.goal;
  const head = element("h3", goal.name);
  const drop = element("button", "drop goal", "drop-goal small");
  drop.type = "button";
  drop.addEventListener("click", async () => {
    try {
      if (await writeJSON("DELETE", profilePath(`/goals/${encodeURIComponent(goal.goal)}`))) await loadProgress();
    } catch (error) {
      showError(error);
    }
  });
  head.append(" ", drop);
  const done = goal.steps.filter((step) => step.status === "known").length;
  const when = element("p", `${done} of ${goal.steps.length} core steps known · ${goal.remaining_minutes} min left · ` +
    `estimate ${goal.estimate}`);
  if (goal.by) {
    when.append(` · by ${goal.by} `,
                element("span", goal.on_track ? "on track" : "behind", `tag ${goal.on_track ? "on-track" : "behind"}`));
  }
  const steps = element("ol", null, "goal-steps");
  steps.append(...goal.steps.map((step) => {
    const item = element("li");
    item.dataset.concept = step.concept;
    item.append(element("span", step.status, `tag status ${step.status}`), ` ${step.name} `,
                element("span", `~${step.effort_minutes} min`, "muted small"));
    return item;
  }));
  const retention = goal.retention === null || goal.retention === undefined ? "—"
    : `${Math.round(goal.retention * 100)}%`;
  const questions = element("p", `questions ${goal.questions} · reviewed ${goal.reviewed} · due today ` +
    `${goal.due_today} · new ${goal.new} · predicted retention ${retention}`, "muted small goal-questions");
  block.append(head, when, steps, questions);
  return block;
}

let progressSeq = 0;

async function loadProgress() {
  const seq = ++progressSeq;
  try {
    const report = await getJSON(profilePath("/progress"), {minutes_per_day: $("minutes-per-day").value || 30});
    if (seq !== progressSeq) return;
    showError(null);
    const empty = $("progress-empty");
    empty.hidden = report.goals.length > 0 && !report.gone.length;
    empty.textContent = report.goals.length
      ? `goals no longer in the notes: ${report.gone.join(", ")}`
      : `Profile ${report.profile} has no goals yet. Add one above (a concept, and a date if you have one), ` +
        "or open a concept and press “make it a goal”.";
    $("progress-goals").replaceChildren(...report.goals.map(goalBlock));
    const charts = [];
    if (report.goals.length) {
      charts.push(element("h2", "Core steps done per day"), progressChart(report.timeline),
                  element("h2", "Reviews per day"), reviewsChart(report.timeline));
    }
    $("progress-charts").replaceChildren(...charts);
  } catch (error) {
    showError(error);
  }
}

async function addGoal(event) {
  event.preventDefault();
  const concept = $("goal-concept").value.trim();
  if (!concept) return;
  try {
    const profile = await writeJSON("POST", profilePath("/goals"), {concept, by: $("goal-by").value || null});
    if (!profile) return;
    $("goal-form").reset();
    await loadProgress();
    showConceptProfile(profile);
  } catch (error) {
    showError(error);
  }
}

function setupProgress() {
  $("goal-form").addEventListener("submit", addGoal);
  $("pace-form").addEventListener("submit", (event) => { event.preventDefault(); loadProgress(); });
  $("minutes-per-day").addEventListener("change", loadProgress);
}
