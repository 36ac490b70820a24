// The overview: every Space the viewer may see, with activity from /api/v1/spaces and
// findings from /api/v1/report.
import { getJSON, getReport } from "./api.js";
import { sparkBars } from "./chart.js";
import { h, number, time } from "./dom.js";
import { riskBadge, severityBadges, spaceLink, reportNotice, statCard } from "./widgets.js";

export async function renderOverview(main) {
  const [list, { report, error }] = await Promise.all([getJSON("/api/v1/spaces"), getReport({ since: "30d" })]);
  const reportBySpace = new Map((report?.spaces ?? []).map((space) => [space.space, space]));
  document.title = "Overview · SpaceAudit";

  const totals = list.spaces.reduce(
    (sum, space) => ({
      successes: sum.successes + space.activity.successes,
      failures: sum.failures + space.activity.failures,
    }),
    { successes: 0, failures: 0 },
  );
  const severities = report?.findings_by_severity;

  main.append(
    h("h1", {}, "Spaces"),
    h("p", { class: "lead" }, `Sign-in activity over the last ${list.days} days, as of `, time(list.generated_at), "."),
    h("section", { class: "cards", "aria-label": "Totals" },
      statCard("Spaces", number(list.spaces.length)),
      statCard("Active users (30 days)", report ? number(report.totals.active_30d) : "—",
        report ? "distinct users across Spaces" : "report unavailable"),
      statCard("Successful sign-ins", number(totals.successes)),
      statCard("Failed sign-ins", number(totals.failures), null, totals.failures > 0 ? "warn" : null),
      statCard("Findings", severities ? severityBadges(severities) : "—", severities ? null : "report unavailable"),
    ),
  );
  if (error) main.append(reportNotice(error));

  if (list.spaces.length === 0) {
    main.append(h("p", { class: "notice" },
      "No Spaces yet. Register one with “spaceaudit spaces add OWNER/NAME --readme README.md”, or send events to the ingest API."));
    return;
  }

  const rows = list.spaces.map((space) => {
    const activity = space.activity;
    const fromReport = reportBySpace.get(space.space);
    const counts = fromReport ? countSeverities(fromReport.findings) : null;
    return h("tr", {},
      h("th", { scope: "row", "data-label": "Space" }, spaceLink(space.space),
        space.registered ? null : h("span", { class: "tag" }, "not registered")),
      h("td", { "data-label": "Active 1d / 7d / 30d", class: "num" },
        `${number(activity.active_1d)} / ${number(activity.active_7d)} / ${number(activity.active_30d)}`),
      h("td", { "data-label": "Sign-ins", class: "num" }, number(activity.successes)),
      h("td", { "data-label": "Failures", class: activity.failures > 0 ? "num warn-text" : "num" }, number(activity.failures)),
      h("td", { "data-label": `Last ${list.days} days`, class: "chart-cell" },
        sparkBars(activity.daily, {
          label: `${space.space}: ${activity.successes} successful and ${activity.failures} failed sign-ins in ${list.days} days`,
        })),
      h("td", { "data-label": "Findings" }, counts ? severityBadges(counts) : h("span", { class: "muted" }, "—")),
      h("td", { "data-label": "Riskiest scope" },
        activity.riskiest_scope ? riskBadge(activity.riskiest_scope.scope, activity.riskiest_scope.risk) : h("span", { class: "muted" }, "none granted")),
      h("td", { "data-label": "Last sign-in" }, time(activity.last_sign_in)),
    );
  });

  main.append(
    h("div", { class: "table-wrap" },
      h("table", { class: "spaces responsive" },
        h("caption", {}, "Spaces you may see"),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Space"),
          h("th", { scope: "col", class: "num" }, "Active 1d / 7d / 30d"),
          h("th", { scope: "col", class: "num" }, "Sign-ins"),
          h("th", { scope: "col", class: "num" }, "Failures"),
          h("th", { scope: "col" }, `Last ${list.days} days`),
          h("th", { scope: "col" }, "Findings"),
          h("th", { scope: "col" }, "Riskiest scope"),
          h("th", { scope: "col" }, "Last sign-in"),
        )),
        h("tbody", {}, rows),
      ),
    ),
    h("p", { class: "legend" },
      h("span", { class: "swatch ok" }), " successful sign-ins ",
      h("span", { class: "swatch fail" }), " failed sign-ins (below the line)"),
  );
}

export function countSeverities(findings) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings ?? []) if (finding.severity in counts) counts[finding.severity] += 1;
  return counts;
}
