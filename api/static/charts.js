// The progress plots, drawn as inline SVG in the page: no library and no network. Labels go in as text nodes.
"use strict";

// ---- shared: SVG nodes, a titled chart, day axes and legends ----
const SVG_NS = "http://www.w3.org/2000/svg";
const SERIES_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
const GRADE_COLOURS = {again: "#d62728", hard: "#ff9f1c", good: "#2ca02c", easy: "#1f77b4"};

function svgNode(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function chart(id, title, width, height) {
  const svg = svgNode("svg", {id, viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
                              "aria-label": title, class: "chart"});
  svg.append(svgNode("title", {}, title));
  return svg;
}

const PLOT = {width: 400, left: 40, right: 12, top: 12, plot: 130, bottom: 22, legendRow: 16};

function dayLabel(day) {
  return String(day).slice(5);  // MM-DD
}

// x positions of the days: spread over the plot, one day in the middle.
function dayX(count) {
  const span = PLOT.width - PLOT.left - PLOT.right;
  return (index) => count === 1 ? PLOT.left + span / 2 : PLOT.left + (span * index) / (count - 1);
}

function axes(svg, days, yLabels) {
  const bottom = PLOT.top + PLOT.plot;
  for (const [value, label] of yLabels) {
    const y = bottom - value * PLOT.plot;
    svg.append(svgNode("line", {x1: PLOT.left, x2: PLOT.width - PLOT.right, y1: y, y2: y, class: "grid"}));
    svg.append(svgNode("text", {x: PLOT.left - 5, y: y + 4, "text-anchor": "end", class: "axis-label"}, label));
  }
  svg.append(svgNode("line", {x1: PLOT.left, x2: PLOT.left, y1: PLOT.top, y2: bottom, class: "axis"}));
  svg.append(svgNode("line", {x1: PLOT.left, x2: PLOT.width - PLOT.right, y1: bottom, y2: bottom, class: "axis"}));
  const x = dayX(days.length);
  const shown = days.length <= 2 ? days.map((_, i) => i) : [0, Math.floor((days.length - 1) / 2), days.length - 1];
  for (const index of new Set(shown)) {
    const anchor = days.length === 1 ? "middle" : index === 0 ? "start" : index === days.length - 1 ? "end" : "middle";
    svg.append(svgNode("text", {x: x(index), y: bottom + 15, "text-anchor": anchor, class: "axis-label"},
                       dayLabel(days[index])));
  }
}

function legend(svg, entries, top) {
  entries.forEach(([label, colour], index) => {
    const y = top + index * PLOT.legendRow;
    svg.append(svgNode("rect", {x: PLOT.left, y: y - 9, width: 12, height: 10, fill: colour, class: "swatch"}));
    svg.append(svgNode("text", {x: PLOT.left + 18, y, class: "legend-label"}, label));
  });
}

function progressChart(timeline) {
  const days = timeline.days;
  const top = PLOT.top + PLOT.plot + PLOT.bottom + 14;
  const height = top + timeline.goals.length * PLOT.legendRow;
  const svg = chart("progress-chart", "Share of each goal's core steps done, per day", PLOT.width, height);
  axes(svg, days, [[0, "0%"], [0.5, "50%"], [1, "100%"]]);
  const x = dayX(days.length);
  const y = (share) => PLOT.top + PLOT.plot - share * PLOT.plot;
  timeline.goals.forEach((series, number) => {
    const colour = SERIES_COLOURS[number % SERIES_COLOURS.length];
    const group = svgNode("g", {class: "series", "data-goal": series.goal});
    group.append(svgNode("title", {}, `${series.name}: ${Math.round(100 * (series.done.at(-1) || 0))}% done`));
    if (series.done.length > 1) {
      const points = series.done.map((share, index) => `${x(index).toFixed(1)},${y(share).toFixed(1)}`).join(" ");
      group.append(svgNode("polyline", {points, fill: "none", stroke: colour, "stroke-width": 2}));
    }
    const last = series.done.length - 1;
    if (last >= 0) group.append(svgNode("circle", {cx: x(last), cy: y(series.done[last]), r: 4, fill: colour}));
    svg.append(group);
  });
  legend(svg, timeline.goals.map((series, number) => [series.name, SERIES_COLOURS[number % SERIES_COLOURS.length]]),
         top);
  return svg;
}

function reviewsChart(timeline) {
  const days = timeline.reviews;
  const top = PLOT.top + PLOT.plot + PLOT.bottom + 14;
  const total = days.reduce((sum, day) => sum + GRADES.reduce((n, g) => n + day[g], 0), 0);
  const svg = chart("reviews-chart", `Reviews per day by grade (${total} in all)`, PLOT.width, top + PLOT.legendRow);
  const most = Math.max(1, ...days.map((day) => GRADES.reduce((n, g) => n + day[g], 0)));
  axes(svg, days.map((day) => day.day), [[0, "0"], [1, String(most)]]);
  const x = dayX(days.length);
  const span = PLOT.width - PLOT.left - PLOT.right;
  const barWidth = Math.max(2, Math.min(28, (span / Math.max(days.length, 1)) * 0.7));
  const left = (index) => Math.min(Math.max(x(index) - barWidth / 2, PLOT.left + 1), PLOT.width - PLOT.right - barWidth);
  days.forEach((day, index) => {
    let base = PLOT.top + PLOT.plot;
    for (const name of GRADES) {
      if (!day[name]) continue;
      const height = (day[name] / most) * PLOT.plot;
      base -= height;
      const bar = svgNode("rect", {x: left(index), y: base, width: barWidth, height, fill: GRADE_COLOURS[name],
                                   class: "bar", "data-grade": name, "data-count": day[name]});
      bar.append(svgNode("title", {}, `${day.day}: ${day[name]} ${name}`));
      svg.append(bar);
    }
  });
  // The grades side by side on one legend row.
  GRADES.forEach((name, index) => {
    const lx = PLOT.left + index * 80;
    svg.append(svgNode("rect", {x: lx, y: top - 9, width: 12, height: 10, fill: GRADE_COLOURS[name], class: "swatch"}));
    svg.append(svgNode("text", {x: lx + 18, y: top, class: "legend-label"}, name));
  });
  return svg;
}
