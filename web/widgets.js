// Small pieces shared by the pages.
import { h } from "./dom.js";

export function spaceLink(spaceID) {
  const [owner, name] = spaceID.split("/");
  return h("a", { href: `#/spaces/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, class: "space-link" }, spaceID);
}

export function statCard(label, value, note = null, tone = null) {
  return h("div", { class: tone ? `card ${tone}` : "card" },
    h("p", { class: "card-label" }, label),
    h("p", { class: "card-value" }, value),
    note ? h("p", { class: "card-note" }, note) : null);
}

const SEVERITIES = ["error", "warning", "info"];

export function severityBadges(counts) {
  const total = SEVERITIES.reduce((sum, severity) => sum + (counts[severity] ?? 0), 0);
  if (total === 0) return h("span", { class: "badge ok" }, "none");
  return h("span", { class: "badges" },
    SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) =>
      h("span", { class: `badge ${severity}`, title: `${counts[severity]} ${severity}` }, `${counts[severity]} ${severity}`)));
}

export function severityBadge(severity) {
  return h("span", { class: `badge ${SEVERITIES.includes(severity) ? severity : "info"}` }, severity);
}

const RISKS = ["low", "medium", "high", "critical"];

export function riskBadge(scope, risk) {
  const level = RISKS.includes(risk) ? risk : "high";
  return h("span", { class: `risk risk-${level}`, title: `${risk} risk` }, h("code", {}, scope), " ", h("span", { class: "risk-level" }, risk));
}

export function reportNotice(error) {
  const reason = error.status === 404 ? "this server has no report API yet" : error.message;
  return h("p", { class: "notice", role: "status" }, `Findings and scope grants are unavailable: ${reason}.`);
}

export function errorPanel(error) {
  return h("div", { class: "notice error", role: "alert" },
    h("h1", {}, error.status === 404 ? "Not found" : "Something went wrong"),
    h("p", {}, error.message || String(error)),
    h("p", {}, h("a", { href: "#/" }, "Back to the overview")));
}
