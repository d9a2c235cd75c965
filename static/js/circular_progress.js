// The progress bar of a circular being compiled by a worker: polls its status once a second and
// reloads the page when the compile has finished (the page then shows the draft).
(function () {
  "use strict";
  var box = document.querySelector(".compile-progress[data-status-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector(".compile-stage");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.busy) { window.location.reload(); return; }
        bar.value = status.percent;
        stage.textContent = status.stage + "（" + status.percent + "%）";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
