// 表单集（实验类别、评分细则等）：在页面上添加、删除、上下移动行，不必“保存后再编辑”。
// 行模板在 <template data-formset-template="前缀"> 中，__prefix__ 换成新行序号；删除只勾选该行的
// DELETE 并隐藏，由服务器在保存时删除；带 data-formset-order 的输入框按可见行顺序重排为 1、2、3……
(function () {
  "use strict";
  function total(prefix) { return document.getElementById("id_" + prefix + "-TOTAL_FORMS"); }
  function body(prefix) { return document.querySelector("[data-formset-body='" + prefix + "']"); }
  function visibleRows(tbody) {
    return Array.prototype.filter.call(tbody.querySelectorAll("[data-formset-row]"), function (row) {
      return !row.hidden;
    });
  }
  function renumber(tbody) {
    visibleRows(tbody).forEach(function (row, i) {
      var order = row.querySelector("[data-formset-order]");
      if (order) { order.value = i + 1; }
    });
  }
  function nextNumber(tbody) {
    // After the highest number in use, and never below the row count (a blank row counts too).
    var max = visibleRows(tbody).length;
    visibleRows(tbody).forEach(function (row) {
      var input = row.querySelector("input[name$='-number']");
      var value = input ? parseInt(input.value, 10) : NaN;
      if (!isNaN(value) && value > max) { max = value; }
    });
    return max + 1;
  }
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add) {
      var prefix = add.getAttribute("data-formset-add");
      var template = document.querySelector("template[data-formset-template='" + prefix + "']");
      var count = total(prefix);
      var tbody = body(prefix);
      var number = nextNumber(tbody);
      var html = template.innerHTML.replace(/__prefix__/g, count.value);
      tbody.insertAdjacentHTML("beforeend", html);
      count.value = parseInt(count.value, 10) + 1;
      var row = tbody.lastElementChild;
      var numberInput = row.querySelector("input[name$='-number']");
      if (numberInput && !numberInput.value) { numberInput.value = number; }
      renumber(tbody);
      var first = row.querySelector("textarea, input:not([type=hidden]):not([type=checkbox])");
      if (first) { first.focus(); }
      return;
    }
    var remove = event.target.closest("[data-formset-remove]");
    if (remove) {
      var gone = remove.closest("[data-formset-row]");
      var box = gone.querySelector("input[name$='-DELETE']");
      if (box) { box.checked = true; }
      gone.hidden = true;
      renumber(gone.parentElement);
      return;
    }
    var move = event.target.closest("[data-formset-up], [data-formset-down]");
    if (move) {
      var row2 = move.closest("[data-formset-row]");
      var rows = visibleRows(row2.parentElement);
      var at = rows.indexOf(row2);
      if (move.hasAttribute("data-formset-up") && at > 0) {
        row2.parentElement.insertBefore(row2, rows[at - 1]);
      } else if (move.hasAttribute("data-formset-down") && at < rows.length - 1) {
        row2.parentElement.insertBefore(rows[at + 1], row2);
      }
      renumber(row2.parentElement);
      move.focus();
    }
  });
})();
