// The JSON API client. Every call is same-origin with the session cookie; a 401 anywhere
// means the session is gone, so the page goes to the sign-in page and comes back here after.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function signInURL() {
  const here = location.pathname + location.search + location.hash;
  return "/signin.html?return_to=" + encodeURIComponent(here);
}

export async function getJSON(path) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    throw new ApiError(0, "network", "The server could not be reached.");
  }
  if (response.status === 401) {
    location.assign(signInURL());
    throw new ApiError(401, "not_signed_in", "Signing in…");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = body && body.error ? body.error : {};
    throw new ApiError(response.status, error.code || "http_" + response.status, error.message || response.statusText);
  }
  return body;
}

// Query string from an object, skipping empty values; arrays repeat the name.
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== "") search.append(name, item);
    }
  }
  const text = search.toString();
  return text ? "?" + text : "";
}

export function spacePath(spaceID) {
  const [owner, name] = spaceID.split("/");
  return `/api/v1/spaces/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

// GET /api/v1/report (docs/report-format.md). The dashboard still works without it: callers
// get null and show "report unavailable" where findings and grants would be.
export async function getReport(parameters) {
  try {
    return { report: await getJSON("/api/v1/report" + query(parameters)), error: null };
  } catch (error) {
    if (error.status === 401) throw error;
    return { report: null, error };
  }
}

export async function logout(csrfToken) {
  const response = await fetch("/logout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrfToken, Accept: "application/json" },
  });
  if (!response.ok && response.status !== 401 && !response.redirected) {
    throw new ApiError(response.status, "logout_failed", "Signing out failed; try again.");
  }
}
