// 用款方案编辑：“添加一行”复制最后一行并清空，行号与字段序号顺延（无内联脚本，符合内容安全策略）。
(function () {
  "use strict";
  var button = document.querySelector("[data-add-row]");
  var body = document.getElementById("line-rows");
  if (!button || !body) { return; }
  button.addEventListener("click", function () {
    var rows = body.querySelectorAll("tr[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var index = rows.length;
    copy.querySelectorAll("input, textarea").forEach(function (el) {
      el.name = el.name.replace(/^lines-\d+-/, "lines-" + index + "-");
      el.value = "";
      el.classList.remove("is-invalid");
      var label = el.getAttribute("aria-label");
      if (label) { el.setAttribute("aria-label", label.replace(/^第\d+行/, "第" + (index + 1) + "行")); }
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    copy.querySelector("td").textContent = String(index + 1);
    var amount = copy.querySelector("[data-amount]");
    if (amount) { amount.textContent = ""; }
    body.appendChild(copy);
    copy.querySelector("input").focus();
  });
}());
