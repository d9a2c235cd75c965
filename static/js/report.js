// 引用: add a supporting unit's progress to the lead unit's consolidated report, in one click.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.quote");
  if (!button) return;
  var source = document.getElementById(button.dataset.source);
  var target = document.getElementById(button.dataset.target);
  if (!source || !target) return;
  var text = "【" + button.dataset.unit + "】" + source.textContent.trim();
  target.value = target.value ? target.value.replace(/\s+$/, "") + "\n" + text : text;
  button.disabled = true;
  button.textContent = "已引用";
  target.focus();
});
