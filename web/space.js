// One Space: activity and registration from /api/v1/spaces/{owner}/{name}, findings, scope
// grants and users from /api/v1/report?space=…, and the event log (eventlog.js).
import { getJSON, getReport, spacePath } from "./api.js";
import { dailyChart } from "./chart.js";
import { h, number, time } from "./dom.js";
import { renderEventLog } from "./eventlog.js";
import { reportNotice, riskBadge, severityBadge, statCard } from "./widgets.js";

export async function renderSpace(main, spaceID, parameters) {
  const [detail, { report, error }] = await Promise.all([
    getJSON(spacePath(spaceID)),
    getReport({ space: spaceID, since: "30d" }),
  ]);
  const space = detail.space;
  const activity = space.activity;
  const fromReport = report?.spaces?.find((entry) => entry.space === space.space) ?? null;
  document.title = `${space.space} · SpaceAudit`;

  main.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "#/" }, "Overview"), " › ", space.owner),
    h("h1", {}, space.space),
    registrationSummary(space),
    h("section", { class: "cards", "aria-label": "Activity" },
      statCard("Active today", number(activity.active_1d), "last 24 hours"),
      statCard("Active 7 days", number(activity.active_7d)),
      statCard("Active 30 days", number(activity.active_30d),
        fromReport ? `${fromReport.active_users.new_users} new, ${fromReport.active_users.returning_users} returning` : null),
      statCard("Successful sign-ins", number(activity.successes), `last ${detail.days} days`),
      statCard("Failed sign-ins", number(activity.failures), `last ${detail.days} days`, activity.failures > 0 ? "warn" : null),
    ),
    h("section", { "aria-labelledby": "daily-heading" },
      h("h2", { id: "daily-heading" }, "Daily sign-ins"),
      h("div", { class: "chart-panel" },
        dailyChart(activity.daily, {
          label: `Daily sign-ins of ${space.space} over ${detail.days} days: ${activity.successes} successful, ${activity.failures} failed`,
        }),
        h("p", { class: "legend" }, h("span", { class: "swatch ok" }), " successful ", h("span", { class: "swatch fail" }), " failed"),
        h("details", {}, h("summary", {}, "Show the numbers"), dailyTable(activity.daily)),
      ),
    ),
  );

  if (error) main.append(reportNotice(error));
  if (fromReport) {
    main.append(findingsSection(fromReport.findings));
    main.append(h("div", { class: "columns" }, grantsSection(fromReport.scope_grants), usersSection(fromReport.active_users)));
  }
  const log = h("section", { "aria-labelledby": "events-heading" }, h("h2", { id: "events-heading" }, "Event log"));
  main.append(log);
  await renderEventLog(log, space.space, parameters);
}

function registrationSummary(space) {
  if (!space.registered) {
    return h("p", { class: "notice" },
      "This Space is not registered: events arrive for it, but its README and callbacks are unknown, so metadata checks cannot run. ",
      "Register it with “spaceaudit spaces add ", space.space, " --readme README.md”.");
  }
  const registration = space.registration;
  const metadata = registration.metadata ?? {};
  const scopes = metadata.hf_oauth_scopes ?? [];
  return h("dl", { class: "meta" },
    h("dt", {}, "Host"), h("dd", {}, h("code", {}, registration.host)),
    h("dt", {}, "hf_oauth"), h("dd", {}, metadata.hf_oauth === true ? "true" : h("strong", {}, "not enabled")),
    h("dt", {}, "Declared scopes"), h("dd", {}, scopes.length ? scopes.map((scope, i) => [i ? " " : null, h("code", {}, scope)]) : "none"),
    h("dt", {}, "Callbacks"), h("dd", {}, registration.callbacks.length
      ? registration.callbacks.map((callback, i) => [i ? ", " : null, h("code", {}, callback)])
      : h("span", { class: "muted" }, "none registered")),
    h("dt", {}, "Updated"), h("dd", {}, time(registration.updated_at)),
  );
}

function dailyTable(daily) {
  return h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day"), h("th", { scope: "col", class: "num" }, "Successful"),
      h("th", { scope: "col", class: "num" }, "Failed"))),
    h("tbody", {}, daily.map((day) => h("tr", {}, h("th", { scope: "row" }, day.day),
      h("td", { class: "num" }, number(day.successes)), h("td", { class: "num" }, number(day.failures)))))));
}

function findingsSection(findings) {
  const section = h("section", { "aria-labelledby": "findings-heading" }, h("h2", { id: "findings-heading" }, `Findings (${findings.length})`));
  if (findings.length === 0) {
    section.append(h("p", { class: "badge ok" }, "No findings: the configuration and recent sign-ins look right."));
    return section;
  }
  section.append(h("ul", { class: "findings" }, findings.map((finding) =>
    h("li", { class: `finding ${finding.severity}` },
      h("h3", {}, severityBadge(finding.severity), h("code", {}, finding.rule_id), finding.count > 1 ? `× ${number(finding.count)}` : null),
      h("dl", {},
        h("dt", {}, "Seen"), h("dd", {}, finding.seen),
        h("dt", {}, "Expected"), h("dd", {}, finding.expected),
        finding.first_seen ? [h("dt", {}, "When"), h("dd", {}, time(finding.first_seen), " – ", time(finding.last_seen))] : null,
        h("dt", {}, "Fix"), h("dd", { class: "fix" }, finding.fix),
      )))));
  return section;
}

function grantsSection(grants) {
  const scopes = grants?.scopes ?? [];
  return h("section", { "aria-labelledby": "grants-heading" },
    h("h2", { id: "grants-heading" }, "Scope grants"),
    scopes.length === 0 ? h("p", { class: "muted" }, "No scopes granted yet.") :
      h("div", { class: "table-wrap" }, h("table", { class: "responsive" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Scope"), h("th", { scope: "col", class: "num" }, "Users"),
          h("th", { scope: "col" }, "Last granted"))),
        h("tbody", {}, scopes.map((scope) => h("tr", {},
          h("th", { scope: "row", "data-label": "Scope" }, riskBadge(scope.scope, scope.risk)),
          h("td", { class: "num", "data-label": "Users" }, number(scope.users)),
          h("td", { "data-label": "Last granted" }, time(scope.last_granted))))))));
}

function usersSection(activeUsers) {
  const users = activeUsers?.users ?? [];
  return h("section", { "aria-labelledby": "users-heading" },
    h("h2", { id: "users-heading" }, "Active users (30 days)"),
    users.length === 0 ? h("p", { class: "muted" }, "Nobody signed in during the last 30 days.") :
      h("div", { class: "table-wrap" }, h("table", { class: "responsive" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "User"), h("th", { scope: "col" }, "Last sign-in"),
          h("th", { scope: "col" }, "First sign-in"))),
        h("tbody", {}, users.map((user) => h("tr", {},
          h("th", { scope: "row", "data-label": "User", class: "wrap" }, user.username ?? user.user_sub,
            user.new ? h("span", { class: "tag" }, "new") : null),
          h("td", { "data-label": "Last sign-in" }, time(user.last_sign_in)),
          h("td", { "data-label": "First sign-in" }, time(user.first_sign_in))))))));
}
