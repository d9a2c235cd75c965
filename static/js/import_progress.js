// The progress bar of a task list import running in the background: polls the job's status
// once a second and reloads the page when the step is done (the page then shows its outcome).
(function () {
  "use strict";
  var box = document.querySelector(".tl-progress[data-status-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector(".tl-stage");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.busy) { window.location.reload(); return; }
        if (status.counted) { bar.max = status.total; bar.value = status.done; }
        else { bar.removeAttribute("value"); }
        stage.textContent = status.step + "：" + (status.stage || status.state_label) +
          (status.counted ? "（" + status.done + " / " + status.total + " 行）" : "");
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
