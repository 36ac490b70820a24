// Small inline SVG charts, no library. Geometry goes in SVG attributes and colours in CSS
// classes, so nothing needs a style attribute (the CSP forbids them).
import { svg } from "./dom.js";

// A sparkline-sized bar chart of daily successes (up) and failures (down from the baseline).
export function sparkBars(daily, { width = 150, height = 36, label = "" } = {}) {
  const max = Math.max(1, ...daily.map((d) => d.successes), ...daily.map((d) => d.failures));
  const baseline = Math.round(height * 0.7);
  const step = width / Math.max(1, daily.length);
  const barWidth = Math.max(1, step - 1);
  const chart = svg("svg", {
    class: "spark", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label,
  });
  chart.append(svg("title", { text: label }));
  daily.forEach((day, index) => {
    const x = (index * step).toFixed(2);
    const up = Math.round((day.successes / max) * (baseline - 1));
    const down = Math.round((day.failures / max) * (height - baseline - 1));
    if (up > 0) chart.append(svg("rect", { class: "bar-ok", x, y: baseline - up, width: barWidth.toFixed(2), height: up }));
    if (down > 0) chart.append(svg("rect", { class: "bar-fail", x, y: baseline + 1, width: barWidth.toFixed(2), height: down }));
  });
  chart.append(svg("line", { class: "baseline", x1: 0, x2: width, y1: baseline + 0.5, y2: baseline + 0.5 }));
  return chart;
}

// The per-Space daily chart: stacked bars (successes below failures) with a y-axis and day labels.
export function dailyChart(daily, { label = "" } = {}) {
  const width = 720, height = 220, left = 36, bottom = 24, top = 8, right = 8;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const max = niceMax(Math.max(1, ...daily.map((d) => d.successes + d.failures)));
  const step = plotWidth / Math.max(1, daily.length);
  const chart = svg("svg", {
    class: "daily-chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label,
    preserveAspectRatio: "xMinYMin meet",
  });
  chart.append(svg("title", { text: label }));
  for (const tick of [0, max / 2, max].filter(Number.isInteger)) {
    const y = top + plotHeight - (tick / max) * plotHeight;
    chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y, y2: y }));
    chart.append(svg("text", { class: "axis", x: left - 6, y: y + 4, "text-anchor": "end", text: String(tick) }));
  }
  daily.forEach((day, index) => {
    const x = left + index * step + 1;
    const barWidth = Math.max(1, step - 2);
    const okHeight = (day.successes / max) * plotHeight;
    const failHeight = (day.failures / max) * plotHeight;
    const group = svg("g", {});
    group.append(svg("title", { text: `${day.day}: ${day.successes} successful, ${day.failures} failed` }));
    if (okHeight > 0) group.append(svg("rect", { class: "bar-ok", x, y: top + plotHeight - okHeight, width: barWidth, height: okHeight }));
    if (failHeight > 0) {
      group.append(svg("rect", { class: "bar-fail", x, y: top + plotHeight - okHeight - failHeight, width: barWidth, height: failHeight }));
    }
    chart.append(group);
    if (index % 7 === 0 || (index === daily.length - 1 && index % 7 > 3)) {
      chart.append(svg("text", { class: "axis", x: x + barWidth / 2, y: height - 6, "text-anchor": "middle", text: day.day.slice(5) }));
    }
  });
  return chart;
}

function niceMax(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= value) return factor * magnitude;
  return 10 * magnitude;
}
