// The study page: every piece of note text goes into the page through textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const TOP_CONCEPTS = 24;
const JOB_POLL_MS = 500;
const MAP_CAP_LIMIT = 20000;  // the most /map draws (its cap parameter's bound)

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// ---- requests ----
// The API's one error body ({"error": {"code", "message", "details"}}) as an Error the banner can show.
function apiError(body, status) {
  const info = (body && body.error) || {};
  const suggestions = (info.details && info.details.suggestions) || [];
  const message = info.message || `the server answered ${status}`;
  return new Error(message + (suggestions.length && !String(message).includes("did you mean")
    ? ` (did you mean ${suggestions.join(", ")}?)` : ""));
}

async function requestJSON(url, init) {
  const response = await fetch(url, {...init, headers: {Accept: "application/json", ...((init || {}).headers)}});
  const body = await response.json().catch(() => null);
  if (!response.ok) throw apiError(body, response.status);
  return body;
}

function getJSON(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    for (const item of [].concat(value)) if (item !== "" && item !== null && item !== undefined) query.append(key, item);
  }
  return requestJSON(query.toString() ? `${path}?${query}` : path);
}

// ---- the learner's profile and the write token ----
const PROFILE_KEY = "studygraph.profile";  // only the profile name is remembered; never the token

function profileName() {
  return $("profile").value.trim() || "me";
}

function profilePath(suffix) {
  return `/profiles/${encodeURIComponent(profileName())}${suffix || ""}`;
}

// The one write token (uploads and profile writes), sent only when the field holds one.
function writeHeaders() {
  const token = $("upload-token");
  return token && token.value.trim() ? {Authorization: `Bearer ${token.value.trim()}`} : {};
}

function needToken() {
  const token = $("upload-token");
  if (document.body.dataset.tokenRequired !== "true" || !token || token.value.trim()) return false;
  showError("this server takes writes only with its token: enter it as “write token” at the top");
  token.focus();
  return true;
}

async function writeJSON(method, path, body) {
  if (needToken()) return null;
  const init = {method, headers: writeHeaders()};
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  return requestJSON(path, init);
}

// ---- the error banner: shown at the top, cleared by the next answer that succeeds ----
function showError(error) {
  $("banner-text").textContent = error ? String(error.message || error) : "";
  $("banner").hidden = !error;
}

// ---- tabs: each answer has its own pane, and each pane remembers the map that goes with it ----
const TABS = ["overview", "concept", "path", "gaps", "practice", "progress"];
const paneMaps = {};
let wholeCap = 50;

function activate(name) {
  for (const tab of TABS) {
    const selected = tab === name;
    $(`tab-${tab}`).setAttribute("aria-selected", String(selected));
    $(`tab-${tab}`).tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
  }
  const map = paneMaps[name];
  if (map) putMap(map);
}

function selectedTab() {
  return TABS.find((tab) => $(`tab-${tab}`).getAttribute("aria-selected") === "true");
}

function putMap(map) {
  if ($("map").getAttribute("src") !== map.src) $("map").src = map.src;
  $("map-caption").textContent = map.caption;
  const total = Number(document.body.dataset.concepts);
  $("map-more").hidden = !map.whole || wholeCap >= Math.min(total, MAP_CAP_LIMIT);
  $("map-more").textContent = `show more (${widerCap()} of ${total})`;
}

function showMap(tab, path, params, caption, whole) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) if (item) query.append(key, item);
  }
  paneMaps[tab] = {src: `${path}?${query}`, caption, whole: Boolean(whole)};
  if (selectedTab() === tab) putMap(paneMaps[tab]);
}

function showWholeMap() {
  const total = Number(document.body.dataset.concepts);
  const caption = !total ? "no concepts yet: add notes under Overview"
    : wholeCap < total ? `the ${wholeCap} most connected of ${total} concepts` : "every concept";
  showMap("overview", "/map", {cap: wholeCap}, caption, true);
}

function widerCap() {
  return Math.min(wholeCap * 2, Number(document.body.dataset.concepts), MAP_CAP_LIMIT);
}

function widenWholeMap() {
  wholeCap = widerCap();
  showWholeMap();
}

function knownList(text) {
  return text.split(/[,，、]/).map((part) => part.trim()).filter(Boolean);
}

// ---- search with suggestions ----
let searchTimer = null;
let searchSeq = 0;

async function suggest() {
  const text = $("search").value.trim();
  const list = $("suggestions");
  const seq = ++searchSeq;
  if (!text) { list.hidden = true; list.replaceChildren(); return; }
  try {
    const page = await getJSON("/concepts", {q: text, limit: 8});
    if (seq !== searchSeq) return;  // a newer keystroke already asked
    list.replaceChildren(...page.items.map((hit) => {
      const item = element("li", null, "suggestion");
      item.setAttribute("role", "option");
      item.dataset.concept = hit.id;
      item.append(element("b", hit.name));
      const others = hit.aliases.filter((alias) => alias !== hit.name).slice(0, 3);
      if (others.length) item.append(element("span", ` ${others.join(" · ")}`, "muted"));
      item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(hit.id); });
      return item;
    }));
    if (!page.items.length) list.replaceChildren(element("li", "no concept matches", "muted"));
    list.hidden = false;
    showError(null);
  } catch (error) {
    showError(error);
  }
}

function choose(conceptId) {
  $("suggestions").hidden = true;
  $("search").value = "";
  showConcept(conceptId);
}

// ---- concept panel ----
function relationLine(relation) {
  const item = element("li");
  item.append(element("b", relation.source_name), ` ${relation.type} `, element("b", relation.target_name));
  const evidence = relation.evidence[0];
  if (evidence) {
    item.append(element("div", `“${evidence.text}”`, "evidence"));
    item.append(element("div", `${evidence.document}:${evidence.line}${evidence.section ? " § " + evidence.section : ""}`,
      "muted small"));
  }
  return item;
}

async function showConcept(conceptId) {
  try {
    const concept = await getJSON(`/concepts/${encodeURIComponent(conceptId)}`);
    const parts = [element("h3", concept.name)];
    if (concept.aliases.length) parts.push(element("p", `also: ${concept.aliases.join(" · ")}`, "muted"));
    if (concept.definition) parts.push(element("p", concept.definition, "definition"));
    const relations = element("ul", null, "relations");
    relations.append(...concept.relations.slice(0, 30).map(relationLine));
    if (concept.relations.length) parts.push(element("h4", `relations (${concept.relations.length})`), relations);
    const actions = element("p");
    const plan = element("button", `study path to ${concept.name}`);
    plan.type = "button";
    plan.addEventListener("click", () => { $("path-target").value = concept.name; planPath(); });
    actions.append(plan);
    parts.push(actions);
    const mine = element("div", null, "mine");
    mine.id = "concept-profile";
    parts.push(mine);
    $("concept").replaceChildren(...parts);
    shownConcept = concept;
    await showConceptProfile();
    $("gaps-a").value = $("gaps-a").value || concept.name;
    showError(null);
    showMap("concept", "/map", {concept: concept.id, radius: 1}, `${concept.name} and its neighbours`);
    activate("concept");
  } catch (error) {
    showError(error);
  }
}

// ---- study path ----
// One step as the CLI prints it: name, effort and difficulty; why the target needs it (the chain, as the notes
// state it); where to read it (document:line § section); the questions that test it.
function stepItem(step, target) {
  const item = element("li", null, step.concept === target ? "target" : "");
  item.dataset.concept = step.concept;
  const stars = step.difficulty ? ` · 难度 ${step.difficulty}` : "";
  item.append(element("b", step.name), element("span", ` ~${step.effort_minutes} min${stars}`, "muted"));
  if (step.because) {
    item.append(element("div", `why: ${step.because}`, "why"));
    if (step.why) item.append(element("div", `“${step.why.sentence}”`, "evidence"));
  }
  if (step.read_at.length) {
    const reads = element("ul", null, "reads");
    reads.append(...step.read_at.slice(0, 3).map((place) => {
      const line = element("li");
      line.append(element("code", `${place.document}:${place.line}`), place.section ? ` § ${place.section}` : "");
      return line;
    }));
    item.append(element("div", "where to read", "step-label"), reads);
  }
  if (step.questions.length) {
    const questions = element("ul", null, "questions");
    questions.append(...step.questions.slice(0, 3).map((question) => {
      const line = element("li", null, question.answered ? "" : "open");
      line.append(`${question.text} `,
                  element("code", `${question.document}:${question.line} · ${question.answered ? "answered" : "unanswered"}`));
      return line;
    }));
    if (step.questions.length > 3) questions.append(element("li", `${step.questions.length - 3} more`, "muted"));
    item.append(element("div", "questions that test it", "step-label"), questions);
  }
  return item;
}

async function planPath(event) {
  if (event) event.preventDefault();
  const target = $("path-target").value.trim();
  const known = knownList($("path-known").value);
  if (!target) return;
  try {
    const profile = known.length ? null : profileName();
    const plan = await getJSON("/paths/study", {target, known, profile});
    const minutes = plan.steps.reduce((sum, step) => sum + step.effort_minutes, 0);
    $("path-empty").hidden = true;
    $("path-title").textContent = `Study path to ${plan.target_name}: ${plan.steps.length} core steps, ~${minutes} min`;
    $("path-steps").replaceChildren(...plan.steps.map((step) => stepItem(step, plan.target)));
    const background = $("path-background");
    background.hidden = !plan.background.length;
    background.open = false;
    $("path-background-count").textContent = `background: ${plan.background.length} more prerequisites, most relevant first`;
    $("path-background-steps").replaceChildren(...plan.background.map((step) => stepItem(step, plan.target)));
    const notes = [];
    if (profile) notes.push(`known per profile ${profile}`);
    if (plan.skipped_known.length) notes.push(`skipped as known: ${plan.skipped_known.join(", ")}`);
    if (!plan.complete) notes.push(`${plan.truncated} more prerequisites not listed`);
    $("path-note").textContent = notes.join("; ");
    showError(null);
    showMap("path", "/map/path", {target, known, profile}, `study path to ${plan.target_name}`);
    activate("path");
  } catch (error) {
    showError(error);
  }
}

// ---- gaps ----
async function findGaps(event) {
  if (event) event.preventDefault();
  const a = $("gaps-a").value.trim();
  const b = $("gaps-b").value.trim();
  const known = knownList($("path-known").value);
  try {
    const profile = known.length ? null : profileName();
    const report = await getJSON("/gaps", {a, b, known, profile});
    const items = report.items.map((gap) => {
      const item = element("li");
      item.append(element("span", gap.kind.replace("_", " "), `tag ${gap.kind}`), ` ${gap.explanation}`);
      return item;
    });
    for (const [kind, count] of Object.entries(report.more || {})) {
      items.push(element("li", `${kind.replace("_", " ")}: ${count} more`, "muted"));
    }
    $("gaps-items").replaceChildren(...(report.items.length ? items : [element("li", "no gaps found", "muted")]));
    $("gaps-empty").hidden = true;
    const title = (b ? `gaps between ${a} and ${b}` : `gaps around ${a}`) +
      (profile ? ` (known per profile ${profile})` : "");
    $("gaps-title").textContent = title;
    showError(null);
    showMap("gaps", "/map/gaps", {a, b, known, profile}, title);
    activate("gaps");
  } catch (error) {
    showError(error);
  }
}

// ---- adding notes ----
async function finishedJob(job) {
  while (job.state === "queued" || job.state === "running") {
    $("upload-status").textContent = `ingesting… ${job.stage} ${job.done}/${job.total}`;
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    job = await getJSON(`/jobs/${encodeURIComponent(job.id)}`);
  }
  if (job.state === "failed") throw apiError({error: job.error}, 500);
  return job.result;
}

async function upload(event) {
  event.preventDefault();
  const files = $("upload-files").files;
  if (!files.length) return;
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  const headers = writeHeaders();
  const status = $("upload-status");
  status.className = "";
  status.textContent = "uploading…";
  try {
    let report = await requestJSON("/documents", {method: "POST", body: form, headers});
    if (report.state) report = await finishedJob(report);  // 202: a large upload became a job
    const skipped = report.skipped.map((file) => `${file.name} (${file.reason})`);
    status.textContent = `ingested ${report.ingested.length}, unchanged ${report.unchanged.length}` +
      (skipped.length ? `, skipped ${skipped.join("; ")}` : "") +
      ` — the store now holds ${report.documents} documents and ${report.concepts} concepts`;
    $("upload-form").reset();
    await refreshOverview();
    showError(null);
  } catch (error) {
    status.textContent = "nothing ingested";
    status.className = "failed";
    showError(error);
  }
}

// After a write: the counts, the frequent concepts and the whole map, without reloading the page.
async function refreshOverview() {
  const [health, top] = await Promise.all([getJSON("/health"), getJSON("/concepts", {limit: TOP_CONCEPTS})]);
  document.body.dataset.concepts = String(health.concepts);
  $("counts").textContent = `${health.documents} documents · ${health.concepts} concepts · ` +
    `${health.typed_relations} typed relations`;
  $("top-concepts").replaceChildren(...top.items.flatMap((hit, index) => {
    const link = conceptLink(hit.id, hit.name);
    return index ? [" · ", link] : [link];
  }));
  $("top-box").hidden = !top.items.length;
  $("empty-store").hidden = health.concepts > 0;
  paneMaps.overview = null;  // the same address would not reload the frame
  $("map").removeAttribute("src");
  showWholeMap();
}

function conceptLink(conceptId, name) {
  const link = element("a", name, "concept-link");
  link.href = "#";
  link.dataset.concept = conceptId;
  link.addEventListener("click", (event) => { event.preventDefault(); showConcept(conceptId); });
  return link;
}

document.addEventListener("DOMContentLoaded", () => {
  wholeCap = Number(document.body.dataset.mapStart) || wholeCap;
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(suggest, 120); });
  $("search").addEventListener("keydown", (event) => {
    const first = $("suggestions").querySelector("li[data-concept]");
    if (event.key === "Enter" && first) { event.preventDefault(); choose(first.dataset.concept); }
    if (event.key === "Escape") $("suggestions").hidden = true;
  });
  $("search").addEventListener("blur", () => { $("suggestions").hidden = true; });
  for (const link of document.querySelectorAll(".concept-link")) {
    link.addEventListener("click", (event) => { event.preventDefault(); showConcept(link.dataset.concept); });
  }
  for (const tab of TABS) $(`tab-${tab}`).addEventListener("click", () => { activate(tab); tabShown(tab); });
  $("tabs").addEventListener("keydown", (event) => {
    const step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
    if (!step) return;
    const next = TABS[(TABS.indexOf(selectedTab()) + step + TABS.length) % TABS.length];
    activate(next);
    tabShown(next);
    $(`tab-${next}`).focus();
  });
  $("banner-close").addEventListener("click", () => showError(null));
  $("map-more").addEventListener("click", widenWholeMap);
  $("path-form").addEventListener("submit", planPath);
  $("gaps-form").addEventListener("submit", findGaps);
  $("upload-form").addEventListener("submit", upload);
  setupProfile();
  setupPractice();
  setupProgress();
  showWholeMap();
});
