/* lvs-control-plane console: the few behaviours htmx does not give. No framework, no build step. */
(function () {
  "use strict";

  /* After a refused submit, move focus to the error summary so keyboard and screen-reader users land on it. */
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });

  function banner(text) {
    var b = document.getElementById("live-status");
    if (b) {
      b.textContent = text;
      b.hidden = text === "";
    }
  }

  /* A live fragment that comes back as the login page means the session ended: load the page again (it redirects to sign-in). */
  document.addEventListener("htmx:beforeSwap", function (e) {
    var url = e.detail.xhr && e.detail.xhr.responseURL;
    if (url && url.indexOf("/login") >= 0) {
      e.detail.shouldSwap = false;
      window.location.reload();
      return;
    }
    banner("");
  });

  /* A failed poll leaves the last state on screen: say so, so nobody trusts stale numbers. */
  function stale() {
    var at = document.getElementById("live-updated");
    banner("Live updates failed: the state below is as of " + (at ? at.textContent : "the last update") + ". Retrying every second.");
  }
  document.addEventListener("htmx:responseError", stale);
  document.addEventListener("htmx:sendError", stale);
})();
