// After a failed submit the page opens on its error summary (#error-summary, role="alert",
// tabindex="-1", placed before the form): move the keyboard and screen-reader focus to it, so
// that the person hears what to correct and can follow its links to each field. Loaded from
// base.html (no inline script: the CSP forbids it); without JavaScript the summary is still
// the first thing under the page title.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
