// 审核页面：全选、名单拖动排序（拖动后重排序号，仍可直接修改序号）。
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name=selected]").forEach(function (b) { b.checked = box.checked; });
    });
  });
  document.querySelectorAll("#bulk-form select, #bulk-form textarea").forEach(function (el) {
    el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
  });

  document.querySelectorAll("tbody[data-rank-group]").forEach(function (body) {
    var dragged = null;
    function renumber() {
      body.querySelectorAll("tr[data-entry]").forEach(function (row, i) {
        row.querySelector("input[data-rank]").value = i + 1;
      });
    }
    body.querySelectorAll("tr[data-entry]").forEach(function (row) {
      row.draggable = true;
      row.addEventListener("dragstart", function () { dragged = row; row.classList.add("opacity-50"); });
      row.addEventListener("dragend", function () { row.classList.remove("opacity-50"); dragged = null; renumber(); });
      row.addEventListener("dragover", function (event) {
        event.preventDefault();
        if (!dragged || dragged === row) { return; }
        var box = row.getBoundingClientRect();
        body.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? row : row.nextSibling);
      });
    });
  });
})();
