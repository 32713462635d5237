"""The HTML report's style sheet and script, inline in the page (it opens offline: no CDN, no
web fonts). ``FONTS`` in the style sheet stands for the font list."""

from __future__ import annotations

FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: FONTS; margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px;
  color: #1f2328; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0.4em 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 1.6em; }
h3 { font-size: 1rem; margin: 0 0 6px; }
.overall { font-size: 1.05rem; font-weight: 600; }
.note { color: #59636e; font-size: 0.9rem; margin: 4px 0; }
tr.illustrative td { font-style: italic; background: #fff8c5; }
.badge-illustrative { font-style: normal; font-size: 0.75rem; border: 1px solid #bf8700;
  border-radius: 4px; padding: 0 4px; color: #7d4e00; }
.plans { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.plan-summary { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
.completion { margin: 4px 0 8px; }
.rate { font-size: 1.5rem; font-weight: 700; margin: 0 0.25em; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { padding: 3px 8px; text-align: left; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.counts, .by-nature { margin: 4px 12px 4px 0; display: inline-table; }
.by-nature caption { text-align: left; font-weight: 600; font-size: 0.85rem; }
.total td { font-weight: 600; }
.dot { display: inline-block; width: 0.6em; height: 0.6em; border-radius: 50%;
  margin-right: 0.35em; vertical-align: 0.05em; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; margin: 8px 0; }
.filters select { font: inherit; margin-left: 4px; max-width: 22em; }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid #d0d7de; border-radius: 6px; }
#results-table { width: 100%; }
#results-table thead th { position: sticky; top: 0; background: #f6f8fa; z-index: 1;
  border-bottom: 1px solid #d0d7de; }
#results-table th button { font: inherit; font-weight: 600; border: 0; background: none;
  padding: 0; cursor: pointer; color: inherit; white-space: nowrap; }
#results-table th[aria-sort="ascending"] button::after { content: " ▲"; }
#results-table th[aria-sort="descending"] button::after { content: " ▼"; }
#results-table tbody tr:hover { background: #f6f8fa; }
#results-table code { font-size: 0.95em; }
#results-table td:nth-child(1) { max-width: 12em; }
#results-table td:nth-child(2) { max-width: 19em; }
#results-table td:nth-child(3) { min-width: 14em; }
#results-table td:nth-child(4) { min-width: 8em; }
#results-table td:nth-child(6), #results-table td:nth-child(7),
#results-table td:nth-child(8) { white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
figure.chart svg { width: 100%; height: auto; display: block; overflow: visible; }
figure.chart svg text { font-family: FONTS; }
figcaption { font-size: 0.8rem; color: #59636e; }
.key { display: inline-block; width: 22px; height: 0; border-top: 2px solid; margin: 0 4px 0 8px;
  vertical-align: middle; }
.key-actual { border-color: #0969da; }
.key-target { border-color: #1f2328; border-top-width: 3px; }
.key-projected { border-color: #8250df; border-top-style: dashed; }
.key-required { border-color: #57606a; border-top-style: dashed; }
.unit { margin-left: 8px; }
.grid { stroke: #eaeef2; }
.axis, .tick-mark { stroke: #8c959f; }
.tick { font-size: 11px; fill: #59636e; }
.axis-unit { font-size: 11px; fill: #59636e; }
.actual { fill: none; stroke: #0969da; stroke-width: 2; }
.point { fill: #0969da; stroke: #fff; stroke-width: 1; }
.path { fill: none; stroke-width: 1.8; stroke-dasharray: 6 4; }
.path-projected { stroke: #8250df; }
.path-required { stroke: #57606a; }
.target-line { stroke: currentColor; stroke-width: 2.5; }
.diamond { fill: currentColor; fill-opacity: 0.85; }
.range { fill: currentColor; fill-opacity: 0.35; }
.target-label { font-size: 11px; fill: currentColor; font-weight: 600; }
.as-of { stroke: #8c959f; stroke-dasharray: 2 3; }
.as-of-label { font-size: 10px; fill: #8c959f; }
[hidden] { display: none !important; }
"""

JS = """
(function () {
  "use strict";
  var table = document.getElementById("results-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var charts = Array.prototype.slice.call(document.querySelectorAll("figure.chart"));
  function applyFilters() {
    var shown = 0, visibleCharts = {};
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = selects.every(function (s) {
        return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
        (row.getAttribute("data-charts") || "").split(" ").forEach(function (id) {
          if (id) { visibleCharts[id] = true; }
        });
      }
    });
    document.getElementById("shown-count").textContent = String(shown);
    charts.forEach(function (figure) { figure.hidden = !visibleCharts[figure.id]; });
  }
  selects.forEach(function (s) { s.addEventListener("change", applyFilters); });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(row, col, type) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (type === "num") { return raw === "" ? null : parseFloat(raw); }
    return raw.trim();
  }
  headers.forEach(function (th) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var col = parseInt(button.getAttribute("data-col"), 10);
      var type = button.getAttribute("data-type");
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
        return { row: row, key: key(row, col, type), i: i };
      });
      rows.sort(function (a, b) {
        if (a.key === b.key) { return a.i - b.i; }
        if (a.key === null || a.key === "") { return 1; }
        if (b.key === null || b.key === "") { return -1; }
        var c = type === "num" ? a.key - b.key : String(a.key).localeCompare(String(b.key));
        return c === 0 ? a.i - b.i : c * dir;
      });
      rows.forEach(function (r) { body.appendChild(r.row); });
    });
  });
  applyFilters();
})();
"""
