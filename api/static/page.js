// The study page: every piece of note text goes into the page through textContent, never innerHTML.
"use strict";

const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function getJSON(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    for (const item of [].concat(value)) if (item !== "" && item !== null && item !== undefined) query.append(key, item);
  }
  const response = await fetch(query.toString() ? `${path}?${query}` : path, {headers: {Accept: "application/json"}});
  const body = await response.json();
  if (!response.ok) {
    const info = body.error || {};
    const suggestions = (info.details && info.details.suggestions) || [];
    throw new Error(info.message + (suggestions.length && !String(info.message).includes("did you mean")
      ? ` (did you mean ${suggestions.join(", ")}?)` : ""));
  }
  return body;
}

function showError(error) {
  const box = $("error");
  box.textContent = error ? String(error.message || error) : "";
  box.hidden = !error;
}

function showMap(path, params, caption) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) if (item) query.append(key, item);
  }
  $("map").src = `${path}?${query}`;
  $("map-caption").textContent = caption;
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
  showError(null);
  try {
    const concept = await getJSON(`/concepts/${encodeURIComponent(conceptId)}`);
    const box = $("concept");
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
    box.replaceChildren(...parts);
    $("gaps-a").value = $("gaps-a").value || concept.name;
    showMap("/map", {concept: concept.id, radius: 1}, `${concept.name} and its neighbours`);
  } catch (error) {
    showError(error);
  }
}

// ---- study path ----
// One step: its name and effort, why the target needs it (the chain, as the notes state it), where to read it
// and the questions that test it. Every text goes in through textContent (element()), never as HTML.
function stepItem(step, target) {
  const item = element("li", null, step.concept === target ? "target" : "");
  item.dataset.concept = step.concept;
  item.append(element("b", step.name), element("span", ` ~${step.effort_minutes} min`, "muted"));
  if (step.because) {
    item.append(element("div", `why: ${step.because}`, "why"));
    if (step.why) item.append(element("div", `“${step.why.sentence}”`, "evidence"));
  }
  for (const place of step.read_at.slice(0, 2)) {
    item.append(element("div", `read: ${place.document}:${place.line} § ${place.section}`, "read"));
  }
  for (const question of step.questions.slice(0, 2)) {
    item.append(element("div", `test: ${question.text} (${question.answered ? "answered" : "unanswered"})`,
                        question.answered ? "question" : "question open"));
  }
  return item;
}

async function planPath(event) {
  if (event) event.preventDefault();
  showError(null);
  const target = $("path-target").value.trim();
  const known = knownList($("path-known").value);
  if (!target) return;
  try {
    const plan = await getJSON("/paths/study", {target, known});
    $("path-steps").replaceChildren(...plan.steps.map((step) => stepItem(step, plan.target)));
    const background = $("path-background");
    background.hidden = !plan.background.length;
    background.open = false;
    $("path-background-count").textContent = `background: ${plan.background.length} more prerequisites, most relevant first`;
    $("path-background-steps").replaceChildren(...plan.background.map((step) => stepItem(step, plan.target)));
    const notes = [];
    if (plan.skipped_known.length) notes.push(`skipped as known: ${plan.skipped_known.join(", ")}`);
    if (!plan.complete) notes.push(`${plan.truncated} more prerequisites not listed`);
    $("path-note").textContent = notes.join("; ");
    showMap("/map/path", {target, known}, `study path to ${plan.target_name}`);
  } catch (error) {
    showError(error);
  }
}

// ---- gaps ----
async function findGaps(event) {
  event.preventDefault();
  showError(null);
  const a = $("gaps-a").value.trim();
  const b = $("gaps-b").value.trim();
  const known = knownList($("path-known").value);
  try {
    const report = await getJSON("/gaps", {a, b, known});
    $("gaps-items").replaceChildren(...report.items.map((gap) => {
      const item = element("li");
      item.append(element("span", gap.kind.replace("_", " "), `tag ${gap.kind}`), ` ${gap.explanation}`);
      return item;
    }));
    for (const [kind, count] of Object.entries(report.more || {})) {
      $("gaps-items").append(element("li", `${kind.replace("_", " ")}: ${count} more`, "muted"));
    }
    if (!report.items.length) $("gaps-items").replaceChildren(element("li", "no gaps found", "muted"));
    showMap("/map/gaps", {a, b, known}, b ? `gaps between ${a} and ${b}` : `gaps around ${a}`);
  } catch (error) {
    showError(error);
  }
}

document.addEventListener("DOMContentLoaded", () => {
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
  $("path-form").addEventListener("submit", planPath);
  $("gaps-form").addEventListener("submit", findGaps);
});
