// The sign-in page: asks /api/v1/me who is signed in, then shows the sign-in button, the
// "sign-in is not enabled" explanation, or the signed-in user with a sign-out button.
// No inline script anywhere (CSP script-src 'self'); all user text goes in via textContent.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // A local path only (the server checks again): "/x", never "//host", "/\host" or a URL.
  function localReturnPath() {
    const raw = new URLSearchParams(window.location.search).get("return_to");
    if (!raw || raw[0] !== "/" || raw[1] === "/" || raw[1] === "\\" || /[\s\\]/.test(raw)) return "/";
    return raw;
  }

  function isFramed() {
    try {
      return window.top !== window.self;
    } catch (e) {
      return true; // a cross-origin parent: reading window.top throws in some browsers
    }
  }

  function show(id) {
    for (const section of ["signed-out", "disabled", "signed-in"]) $(section).hidden = section !== id;
    $("status").hidden = true;
  }

  function showSignedOut() {
    const button = $("signin-button");
    button.href = "/login?return_to=" + encodeURIComponent(localReturnPath());
    // HF's guidance: inside the Hub's iframe third-party cookies are blocked, so the sign-in
    // must happen in a top-level tab.
    if (isFramed()) {
      button.target = "_blank";
      button.rel = "noopener";
      $("framed-note").hidden = false;
    }
    show("signed-out");
  }

  function showSignedIn(me) {
    $("username").textContent = me.user.username;
    $("continue-link").href = localReturnPath();
    $("csrf-field").value = me.csrf_token;
    $("signout-form").addEventListener("submit", (event) => {
      event.preventDefault();
      fetch("/logout", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": me.csrf_token },
      })
        .then((response) => {
          if (!response.ok) throw new Error("sign-out failed (HTTP " + response.status + ")");
          return load();
        })
        .catch(showError);
    });
    show("signed-in");
  }

  function showError(error) {
    $("error").textContent = String(error && error.message ? error.message : error);
    $("error").hidden = false;
  }

  function load() {
    return fetch("/api/v1/me", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json().then((body) => ({ status: response.status, body })))
      .then(({ status, body }) => {
        if (status === 200 && body.signed_in) return showSignedIn(body);
        if (body.sign_in_enabled === false) {
          if (body.sign_in_help) $("disabled-message").textContent = body.sign_in_help;
          return show("disabled");
        }
        return showSignedOut();
      })
      .catch(showError);
  }

  document.addEventListener("DOMContentLoaded", load);
})();
