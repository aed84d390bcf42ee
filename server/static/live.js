// Live news on the portal's team pages (ADR 0024). The server only says
// "this team's timeline reached n" (or "its pinned summary reached
// version n", ADR 0042); the page then shows itself again, as a reload
// would. Someone typing or choosing a file is never interrupted:
// a banner says there is news and they reload when ready. Without script,
// or when the stream fails, the page is as before (reload by hand).
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-live");
  if (!url || !window.EventSource) return;
  // A team's page knows the number of its newest entry; the list of teams
  // has none and shows itself again on any news of its teams.
  var following = body.hasAttribute("data-seq");
  var shown = Number(body.getAttribute("data-seq") || "0");
  // The pinned summary's version, on a team's page.
  var summary = Number(body.getAttribute("data-summary") || "0");

  function busy() {
    var fields = document.querySelectorAll("textarea, input[type=text], input:not([type]), input[type=file]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value) return true;
    }
    var open = document.querySelector("details[open]");
    return open !== null;
  }

  function announce() {
    var banner = document.getElementById("live-news");
    if (banner) banner.hidden = false;
  }

  var source = new EventSource(url);
  source.addEventListener("advanced", function (event) {
    var seq = Number(event.data);
    // Receipts and membership do not move the timeline's number: only a
    // new entry reloads a team's page (so pages do not reload each other).
    if (following) {
      if (!(seq > shown)) return;
      shown = seq;
    }
    if (busy()) announce();
    else window.location.reload();
  });
  source.addEventListener("summary", function (event) {
    var version = Number(event.data);
    if (!following || !(version > summary)) return;
    summary = version;
    if (busy()) announce();
    else window.location.reload();
  });
  source.addEventListener("pull", function () {
    if (!busy()) window.location.reload();
  });
})();
