// SpaceAudit dashboard entry point. Hash routing (#/ and #/spaces/OWNER/NAME?filters): the
// server only serves static files, every view is bookmarkable, and Back/Forward just work.
import { ApiError, getJSON, logout, signInURL } from "./api.js";
import { clear, h } from "./dom.js";
import { renderOverview } from "./overview.js";
import { renderSpace } from "./space.js";
import { errorPanel } from "./widgets.js";

let session = null; // { username, csrfToken }
let renderCount = 0;

async function loadSession() {
  try {
    const me = await getJSON("/api/v1/me");
    const user = me.user ?? me.viewer ?? me;
    return { username: user.username ?? user.preferred_username ?? "", csrfToken: me.csrf_token ?? null };
  } catch (error) {
    // A server without /api/v1/me still guards every API route with the session; carry on and
    // let the first API call decide (a 401 there goes to the sign-in page).
    if (error instanceof ApiError && error.status === 404) return { username: "", csrfToken: null };
    throw error;
  }
}

function showSession() {
  const viewer = document.getElementById("viewer");
  const button = document.getElementById("logout");
  viewer.textContent = session.username ? `Signed in as ${session.username}` : "";
  button.hidden = !session.csrfToken;
}

export function parseRoute(hash) {
  const text = hash.replace(/^#/, "") || "/";
  const [path, search = ""] = text.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const parameters = new URLSearchParams(search);
  if (parts.length === 0) return { page: "overview", parameters };
  if (parts[0] === "spaces" && parts.length === 3) return { page: "space", spaceID: `${parts[1]}/${parts[2]}`, parameters };
  return { page: "missing", parameters };
}

async function render() {
  const main = document.getElementById("main");
  const current = ++renderCount;
  const route = parseRoute(location.hash);
  const fresh = h("div", { class: "page" });
  try {
    if (route.page === "overview") await renderOverview(fresh);
    else if (route.page === "space") await renderSpace(fresh, route.spaceID, route.parameters);
    else fresh.append(errorPanel(new ApiError(404, "not_found", "There is no such page.")));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // on the way to the sign-in page
    clear(fresh);
    fresh.append(errorPanel(error));
  }
  if (current !== renderCount) return; // a newer navigation finished first
  clear(main);
  main.append(fresh);
  main.setAttribute("aria-busy", "false");
  // Move focus to the new page so keyboard and screen-reader users start at its heading.
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    const heading = main.querySelector("h1");
    if (heading && route.focus !== false) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
}

async function start() {
  try {
    session = await loadSession();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    session = { username: "", csrfToken: null };
  }
  showSession();
  document.getElementById("logout").addEventListener("click", async () => {
    try {
      await logout(session.csrfToken);
      location.assign("/signin.html");
    } catch (error) {
      document.getElementById("main").prepend(h("p", { class: "notice error", role: "alert" }, error.message));
    }
  });
  window.addEventListener("hashchange", render);
  await render();
}

export { signInURL };
start();
