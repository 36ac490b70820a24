// The event log of one Space: filters (kept in the address so a view can be bookmarked),
// keyset paging with Older / Newer, and an Export CSV link that honours the same filters.
import { getJSON, query, spacePath } from "./api.js";
import { clear, h, time } from "./dom.js";

const EVENTS = ["login_started", "login_succeeded", "login_failed", "logout", "session_expired", "export", "retention"];
const PAGE_SIZE = 50;

// Form values (days as the date inputs hold them) → API parameters (RFC 3339 instants). The
// "until" day is inclusive on screen, so the API gets the next midnight (its until is exclusive).
export function apiFilters(form) {
  return {
    event: form.event || "",
    outcome: form.outcome || "",
    user: (form.user || "").trim(),
    since: form.since ? `${form.since}T00:00:00Z` : "",
    until: form.until ? nextDay(form.until) + "T00:00:00Z" : "",
  };
}

export function nextDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function exportURL(spaceID, filters) {
  return "/api/v1/events.csv" + query({ space: spaceID, ...filters });
}

export async function renderEventLog(section, spaceID, parameters) {
  const isDay = (text) => /^\d{4}-\d{2}-\d{2}$/.test(text ?? "");
  const state = {
    form: {
      event: EVENTS.includes(parameters.get("event")) ? parameters.get("event") : "",
      outcome: ["success", "failure"].includes(parameters.get("outcome")) ? parameters.get("outcome") : "",
      user: parameters.get("user") ?? "",
      since: isDay(parameters.get("since")) ? parameters.get("since") : "",
      until: isDay(parameters.get("until")) ? parameters.get("until") : "",
    },
    cursors: [""], // cursor of each page shown so far; the last one is the current page
  };

  const fields = {
    event: h("select", { name: "event", id: "filter-event" },
      h("option", { value: "" }, "Any event"), EVENTS.map((kind) => h("option", { value: kind }, kind))),
    outcome: h("select", { name: "outcome", id: "filter-outcome" },
      h("option", { value: "" }, "Any outcome"), h("option", { value: "success" }, "success"), h("option", { value: "failure" }, "failure")),
    user: h("input", { name: "user", id: "filter-user", type: "search", autocomplete: "off", placeholder: "username or sub" }),
    since: h("input", { name: "since", id: "filter-since", type: "date" }),
    until: h("input", { name: "until", id: "filter-until", type: "date" }),
  };
  for (const [name, field] of Object.entries(fields)) field.value = state.form[name];

  const exportLink = h("a", { class: "button secondary", id: "export-csv", download: "" }, "Export CSV");
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter events" },
    h("label", { for: "filter-event" }, "Event", fields.event),
    h("label", { for: "filter-outcome" }, "Outcome", fields.outcome),
    h("label", { for: "filter-user" }, "User", fields.user),
    h("label", { for: "filter-since" }, "From (UTC day)", fields.since),
    h("label", { for: "filter-until" }, "To (UTC day, inclusive)", fields.until),
    h("div", { class: "filter-actions" },
      h("button", { type: "submit", class: "button" }, "Apply"),
      h("button", { type: "reset", class: "button secondary" }, "Reset"),
      exportLink));
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const results = h("div", {});
  const newer = h("button", { type: "button", class: "button secondary" }, "← Newer");
  const older = h("button", { type: "button", class: "button secondary" }, "Older →");
  section.append(form, status, results, h("div", { class: "pager" }, newer, older));

  async function load() {
    const filters = apiFilters(state.form);
    exportLink.setAttribute("href", exportURL(spaceID, filters));
    const cursor = state.cursors[state.cursors.length - 1];
    status.textContent = "Loading events…";
    let page;
    try {
      page = await getJSON(spacePath(spaceID) + "/events" + query({ ...filters, limit: PAGE_SIZE, cursor }));
    } catch (error) {
      status.textContent = "";
      clear(results);
      results.append(h("p", { class: "notice error", role: "alert" }, error.message));
      return;
    }
    clear(results);
    results.append(eventsTable(page.events));
    const pageNumber = state.cursors.length;
    status.textContent = page.events.length === 0
      ? "No events match these filters."
      : `Page ${pageNumber}: ${page.events.length} events, newest first.`;
    newer.disabled = pageNumber === 1;
    older.disabled = !page.next_cursor;
    older.dataset.cursor = page.next_cursor ?? "";
  }

  function remember() {
    const search = query(state.form);
    history.replaceState(null, "", `#/spaces/${spaceID.split("/").map(encodeURIComponent).join("/")}${search}`);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const name of Object.keys(fields)) state.form[name] = fields[name].value;
    state.cursors = [""];
    remember();
    load();
  });
  form.addEventListener("reset", () => {
    // After the browser has cleared the fields.
    setTimeout(() => form.requestSubmit(), 0);
  });
  older.addEventListener("click", () => {
    if (!older.dataset.cursor) return;
    state.cursors.push(older.dataset.cursor);
    load();
  });
  newer.addEventListener("click", () => {
    if (state.cursors.length > 1) state.cursors.pop();
    load();
  });
  await load();
}

function eventsTable(events) {
  if (events.length === 0) return h("p", { class: "muted" }, "Nothing to show.");
  return h("div", { class: "table-wrap" }, h("table", { class: "events responsive" },
    h("caption", {}, "Events"),
    h("thead", {}, h("tr", {},
      ["Time (UTC)", "Event", "Outcome", "User", "Redirect URI", "Client IP", "Source"].map((label) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, events.map((event) => h("tr", {},
      h("th", { scope: "row", "data-label": "Time (UTC)" }, time(event.occurred_at, { seconds: true })),
      h("td", { "data-label": "Event" }, event.event),
      h("td", { "data-label": "Outcome", class: event.outcome === "failure" ? "warn-text wrap" : "wrap" },
        event.outcome ?? "—", event.reason ? [" · ", h("code", {}, event.reason)] : null),
      h("td", { "data-label": "User", class: "wrap user" }, event.username ?? event.user_sub ?? "—"),
      h("td", { "data-label": "Redirect URI", class: "wrap" }, event.redirect_uri ? h("code", {}, event.redirect_uri) : "—"),
      h("td", { "data-label": "Client IP" }, event.client_ip ?? "—"),
      h("td", { "data-label": "Source" }, event.source)))),
  ));
}
