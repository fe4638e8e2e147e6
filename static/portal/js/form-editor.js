// 表单定义编辑器：在浏览器中按结构编辑申请表定义（基本信息、栏目与表格、字段、计算项、意见栏、附件清单），
// 拖动或用 ↑↓ 调整顺序，撤销 / 重做（本次会话内），自动保存到服务器（乐观锁：他人保存过则提示，不覆盖），
// 服务器检查出的问题标在对应的输入框旁。登录过期或断网时修改暂存在本机，恢复后再保存。
(function () {
  "use strict";
  var root = document.getElementById("form-editor");
  if (!root) { return; }
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var state = data("definition-data");
  var KINDS = data("kinds-data"), LEVELS = data("levels-data");
  var revision = parseInt(root.dataset.revision, 10);
  var saveUrl = root.dataset.saveUrl, draftId = root.dataset.draft;
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var stateEl = document.querySelector("[data-testid=save-state]");
  var alertEl = document.querySelector("[data-testid=editor-alert]");
  var problemsEl = document.querySelector("[data-testid=problems]");
  var undoKey = "form-editor-undo-" + draftId, localKey = "form-editor-local-" + draftId;
  var history = {undo: [], redo: []};
  try { history = JSON.parse(sessionStorage.getItem(undoKey)) || history; } catch (e) { /* 新会话 */ }
  var problems = data("problems-data"), saveTimer = null, saving = false, again = false, blocked = false;
  var openFields = {};

  // ---------- 工具 ----------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "class") { node.className = attrs[k]; }
      else if (k.indexOf("on") === 0) { node.addEventListener(k.slice(2), attrs[k]); }
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { node.setAttribute(k, attrs[k] === true ? "" : attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }
  function snapshot() { return JSON.stringify(state); }
  function remember(before) {
    if (before === snapshot()) { return; }
    history.undo.push(before);
    if (history.undo.length > 200) { history.undo.shift(); }
    history.redo = [];
    keepHistory();
  }
  function keepHistory() {
    try { sessionStorage.setItem(undoKey, JSON.stringify(history)); } catch (e) { /* 存储已满时仅失去撤销 */ }
  }
  // 结构性修改：先记下修改前的状态（可撤销），改完重画并保存。
  function mutate(fn, before) {
    before = before || snapshot();
    fn();
    remember(before);
    render();
    changed();
  }
  function changed() {
    try { localStorage.setItem(localKey, JSON.stringify({base: revision, at: Date.now(), definition: state})); } catch (e) { /* 可在线保存 */ }
    setState("有未保存的修改…");
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 800);
  }
  function setState(text) { stateEl.textContent = text; }
  function showAlert(html, kind) {
    alertEl.className = "alert alert-" + (kind || "warning");
    alertEl.replaceChildren();
    html.forEach(function (n) { alertEl.appendChild(typeof n === "string" ? document.createTextNode(n) : n); });
  }
  function hideAlert() { alertEl.className = "alert d-none"; alertEl.replaceChildren(); }
  function move(list, from, to) {
    if (to < 0 || to >= list.length || from === to) { return; }
    var item = list.splice(from, 1)[0];
    list.splice(to, 0, item);
  }
  function fieldLabel(name) {
    var spec = state.fields[name];
    return spec ? (spec.title || spec.label || name) : name;
  }
  function newKey(prefix, taken) {
    var n = 1;
    while (taken[prefix + n]) { n += 1; }
    return prefix + n;
  }

  // ---------- 输入框与状态的绑定 ----------
  // 文字输入即时写入状态（自动保存），离开输入框时若有变化则记入撤销。
  var focusBefore = null;
  root.addEventListener("focusin", function () { focusBefore = snapshot(); });
  root.addEventListener("change", function (event) {
    if (event.target.dataset.structural === undefined && focusBefore !== null) { remember(focusBefore); focusBefore = snapshot(); }
  });
  function input(path, value, set, opts) {
    opts = opts || {};
    var attrs = {"class": "form-control form-control-sm", "data-path": path, value: value === undefined || value === null ? "" : value,
      "aria-label": opts.label, placeholder: opts.placeholder || "", type: opts.type || "text", readonly: opts.readonly};
    var node = el(opts.multiline ? "textarea" : "input", attrs);
    if (opts.multiline) { node.value = value || ""; node.rows = 2; }
    node.addEventListener("input", function () { set(node.value); changed(); });
    if (opts.onchange) {
      node.dataset.structural = "";         // its change is one undo step together with what it implies
      node.addEventListener("change", function () { opts.onchange(node.value, focusBefore); });
    }
    return node;
  }
  function labelled(text, control, wide) {
    return el("div", {"class": wide ? "col-12" : "col-md-4 col-6"}, [el("label", {"class": "form-label small mb-0", text: text}), control]);
  }
  function check(path, value, set, label) {
    var box = el("input", {type: "checkbox", "class": "form-check-input", "data-path": path, "aria-label": label});
    box.checked = !!value;
    box.addEventListener("change", function () { set(box.checked); changed(); });
    return el("div", {"class": "form-check mt-3"}, [box, el("label", {"class": "form-check-label small", text: " " + label})]);
  }
  function select(path, value, choices, set, label, structural) {
    var node = el("select", {"class": "form-select form-select-sm", "data-path": path, "aria-label": label, "data-structural": structural ? "" : null});
    choices.forEach(function (c) { var o = el("option", {value: c[0], text: c[1]}); if (c[0] === value) { o.selected = true; } node.appendChild(o); });
    node.addEventListener("change", function () {
      if (structural) { mutate(function () { set(node.value); }); } else { set(node.value); changed(); }
    });
    return node;
  }
  function number(text) { var n = parseInt(text, 10); return isNaN(n) ? undefined : n; }
  function setOrDrop(obj, key, value) { if (value === undefined || value === "" || value === null) { delete obj[key]; } else { obj[key] = value; } }
  function button(text, action, attrs) {
    var a = Object.assign({type: "button", "class": "btn btn-outline-secondary btn-sm", text: text, onclick: function (e) { e.preventDefault(); action(); }}, attrs || {});
    return el("button", a);
  }
  function mover(list, index, what) {
    return el("span", {"class": "btn-group btn-group-sm fe-move"}, [
      button("↑", function () { mutate(function () { move(list, index, index - 1); }); }, {"aria-label": what + "上移", title: "上移"}),
      button("↓", function () { mutate(function () { move(list, index, index + 1); }); }, {"aria-label": what + "下移", title: "下移"})]);
  }
  // 拖动排序：同一列表内拖放。
  var dragging = null;
  function draggable(node, list, index, listId) {
    node.setAttribute("draggable", "true");
    node.dataset.dragList = listId;
    node.addEventListener("dragstart", function (e) {
      if (e.target !== node) { return; }
      dragging = {list: list, index: index, id: listId};
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", listId + ":" + index);
      node.classList.add("fe-dragging");
    });
    node.addEventListener("dragend", function () { node.classList.remove("fe-dragging"); });
    node.addEventListener("dragover", function (e) { if (dragging && dragging.id === listId) { e.preventDefault(); e.stopPropagation(); } });
    node.addEventListener("drop", function (e) {
      if (!dragging || dragging.id !== listId) { return; }
      e.preventDefault(); e.stopPropagation();
      var from = dragging.index; dragging = null;
      mutate(function () { move(list, from, index); });
    });
    return node;
  }

  // ---------- 字段的增删与改名（同时更新版式与计算项中的引用） ----------
  function forEachCell(fn) {
    state.sections.forEach(function (section) {
      section.items.forEach(function (item) {
        if (item.type === "table") { item.rows.forEach(function (row) { row.forEach(function (cell, c) { fn(cell, row, c); }); }); }
      });
    });
  }
  function renameField(old, name) {
    if (!name || name === old || state.fields[name]) { return false; }
    var fields = {};
    Object.keys(state.fields).forEach(function (k) { fields[k === old ? name : k] = state.fields[k]; });
    state.fields = fields;
    state.sections.forEach(function (section) { section.items.forEach(function (item) { if (item.field === old) { item.field = name; } }); });
    forEachCell(function (cell) { if (cell.field === old) { cell.field = name; } });
    var word = new RegExp("\\b" + old + "\\b", "g");
    Object.keys(state.computed || {}).forEach(function (k) {
      var spec = state.computed[k];
      if (spec.of) { spec.of = spec.of.map(function (n) { return n === old ? name : n; }); }
      if (spec.num === old) { spec.num = name; }
      if (spec.den === old) { spec.den = name; }
      if (spec.expr) { spec.expr = spec.expr.replace(word, name); }
    });
    Object.keys(state.fields).forEach(function (k) {
      var ri = state.fields[k].required_if;
      if (ri && ri[0] === old) { ri[0] = name; }
    });
    (state.opinions || []).forEach(function (b) { if (b.field === old) { b.field = name; } });
    if (openFields[old]) { openFields[name] = true; }
    return true;
  }
  // 删除字段：连同版式中的位置；表格行中它前面的同名标签一并删去，空出的格并入同一行前面的格。
  function removeField(name) {
    var label = state.fields[name].label, title = state.fields[name].title;
    delete state.fields[name];
    state.sections.forEach(function (section) {
      section.items = section.items.filter(function (item) { return item.field !== name; });
      section.items.forEach(function (item) {
        if (item.type !== "table") { return; }
        item.rows.forEach(function (row) {
          var at = row.findIndex(function (cell) { return cell.field === name; });
          if (at < 0) { return; }
          var span = row[at].colspan || 1, start = at;
          var before = row[at - 1];
          if (before && before.label !== undefined && !before.rowspan && (before.label === label || before.label === title)) {
            start = at - 1; span += before.colspan || 1;
          }
          row.splice(start, at - start + 1);
          // The freed columns go to the neighbour before, or to the row's last cell when it led the row.
          var heir = start > 0 ? row[start - 1] : row[row.length - 1];
          if (heir) { heir.colspan = (heir.colspan || 1) + span; }
        });
        item.rows = item.rows.filter(function (row) { return row.length > 0; });
      });
    });
    (state.opinions || []).forEach(function (b) { if (b.field === name) { delete b.field; } });
  }
  function blankField(kind) {
    var spec = {kind: kind, label: "新字段", required: true};
    if (kind === "choice" || kind === "yesno") { spec.choices = kind === "yesno" ? [["yes", "是"], ["no", "否"]] : [["a", "选项一"]]; }
    if (kind === "rows") { spec.columns = [{key: "c1", label: "列一", max_chars: 60}]; spec.max_rows = 10; spec.min_rows = 1; }
    if (kind === "textarea") { spec.max_chars = 1000; }
    return spec;
  }

  // ---------- 年份随申报批次 ----------
  // 把表中写死的年份（如 2020年、2022年）换成相对申报年份的占位符（{year-3}…），各批次自动显示前几年。
  function yearsToPlaceholders(base) {
    var count = 0;
    function conv(text) {
      return text.replace(/(19|20)\d\d(?=\s*年)/g, function (y) {
        var diff = parseInt(y, 10) - base;
        if (diff === 0) { count += 1; return "{year}"; }
        if (Math.abs(diff) > 20) { return y; }
        count += 1;
        return "{year" + (diff > 0 ? "+" : "-") + Math.abs(diff) + "}";
      });
    }
    function walk(value, key) {
      if (typeof value === "string") { return key === "key" || key === "field" || key === "kind" ? value : conv(value); }
      if (Array.isArray(value)) { return value.map(function (v) { return walk(v); }); }
      if (value && typeof value === "object") {
        var out = {};
        Object.keys(value).forEach(function (k) { out[k] = (k === "expr") ? value[k] : walk(value[k], k); });
        return out;
      }
      return value;
    }
    ["title", "fields", "sections", "opinions", "notes", "attachments"].forEach(function (k) {
      if (state[k] !== undefined) { state[k] = walk(state[k], k); }
    });
    return count;
  }

  // ---------- 绘制 ----------
  function card(title, body, attrs) {
    return el("section", Object.assign({"class": "card mb-3"}, attrs || {}), [
      el("div", {"class": "card-header py-2 fw-semibold", text: title}), el("div", {"class": "card-body"}, body)]);
  }
  function basics() {
    var row = el("div", {"class": "row g-2"}, [
      labelled("表单名称", input("title", state.title, function (v) { state.title = v; }, {label: "表单名称"}), true),
      labelled("表单标识（字母、数字、下划线）", input("key", state.key, function (v) { state.key = v; }, {label: "表单标识"})),
      labelled("版本", input("version", state.version, function () {}, {label: "版本", readonly: true})),
      labelled("附件编号（如 附件2）", input("attachment_no", state.attachment_no, function (v) { setOrDrop(state, "attachment_no", v); }, {label: "附件编号"})),
      labelled("申报类别", select("applicant", state.applicant, [["school", "实验校"], ["zone", "实验区"]], function (v) { state.applicant = v; }, "申报类别")),
      labelled("填表说明", input("notes", state.notes, function (v) { state.notes = v; }, {label: "填表说明", multiline: true}), true),
      el("div", {"class": "col-12"}, [check("unboxed", state.unboxed === "appendix", function (v) { setOrDrop(state, "unboxed", v ? "appendix" : undefined); },
        "未设意见栏的审核层级，其意见印在附页（“其他审核层级意见”）")])]);
    var baseYear = el("input", {"class": "form-control form-control-sm fe-year", type: "number", min: "2000", max: "2100",
      value: String(guessBase()), "aria-label": "原表对应的申报年份", "data-testid": "base-year"});
    var years = el("div", {"class": "fe-years mt-3 p-2 border rounded"}, [
      el("div", {"class": "small fw-semibold", text: "年份随申报批次"}),
      el("div", {"class": "small text-muted", text: "把表中写死的年份换成相对申报年份的写法：如原表为 2023 年的批次，“2020年”将写作 {year-3}年，2026 年的批次显示为 2023年。" + root.dataset.help}),
      el("div", {"class": "d-flex gap-2 align-items-center mt-1"}, [el("span", {"class": "small", text: "原表对应的申报年份"}), baseYear,
        button("转换年份", function () {
          var base = parseInt(baseYear.value, 10);
          if (isNaN(base)) { return; }
          var n = 0;
          mutate(function () { n = yearsToPlaceholders(base); });
          showAlert(["已将 " + n + " 处年份改为随申报批次变化。"], "success");
        }, {"data-testid": "convert-years"})])]);
    return card("基本信息", [row, years]);
  }
  function guessBase() {
    var found = snapshot().match(/(19|20)\d\d(?=\s*年)/g) || [];
    var max = found.reduce(function (m, y) { return Math.max(m, parseInt(y, 10)); }, 0);
    return max ? max + 1 : new Date().getFullYear();
  }

  function fieldEditor(name) {
    var spec = state.fields[name], at = "fields." + name;
    if (!spec) { return el("div", {"class": "text-danger small", text: "（字段“" + name + "”不存在）", "data-path": at}); }
    var oldLabel = spec.label;
    var rows = [
      labelled("字段标识", input(at + ".key", name, function () {}, {label: "字段标识", onchange: function (v, before) {
        mutate(function () { if (!renameField(name, v.trim())) { showAlert(["字段标识“" + v + "”无效或已被使用。"], "danger"); } }, before);
      }})),
      labelled("名称（表上文字）", input(at + ".label", spec.label, function (v) { spec.label = v; }, {label: "字段名称", onchange: function (v, before) {
        // 表格中紧挨字段、文字相同的标签格随之改名。
        mutate(function () { forEachCell(function (cell, row, c) { if (cell.label === oldLabel && row[c + 1] && row[c + 1].field === name) { cell.label = v; } }); }, before);
      }})),
      labelled("标题（提示信息中使用，可空）", input(at + ".title", spec.title, function (v) { setOrDrop(spec, "title", v); }, {label: "字段标题"})),
      labelled("类型", select(at + ".kind", spec.kind, KINDS, function (v) {
        var fresh = blankField(v);
        spec.kind = v;
        ["choices", "columns", "max_rows", "min_rows"].forEach(function (k) { if (fresh[k] !== undefined && spec[k] === undefined) { spec[k] = fresh[k]; } });
        if (v !== "choice" && v !== "yesno") { delete spec.choices; }
        if (v !== "rows") { delete spec.columns; delete spec.max_rows; delete spec.min_rows; }
      }, "字段类型", true)),
      labelled("单位", input(at + ".unit", spec.unit, function (v) { setOrDrop(spec, "unit", v); }, {label: "单位"})),
      labelled("字数上限", input(at + ".max_chars", spec.max_chars, function (v) { setOrDrop(spec, "max_chars", number(v)); }, {label: "字数上限", type: "number"})),
      labelled("填写说明", input(at + ".note", spec.note, function (v) { setOrDrop(spec, "note", v); }, {label: "填写说明"}), true),
      el("div", {"class": "col-md-4 col-6"}, [check(at + ".required", spec.required !== false, function (v) { spec.required = v; }, "必填")])];
    if (spec.kind === "decimal") {
      rows.push(labelled("小数位数", input(at + ".places", spec.places, function (v) { setOrDrop(spec, "places", number(v)); }, {label: "小数位数", type: "number"})));
      rows.push(labelled("最大值", input(at + ".max_value", spec.max_value, function (v) { setOrDrop(spec, "max_value", v === "" ? undefined : Number(v)); }, {label: "最大值", type: "number"})));
    }
    if (spec.kind === "text") {
      rows.push(labelled("格式", select(at + ".format", spec.format || "", [["", "不限"], ["mobile", "手机号码"], ["phone", "固定电话"], ["tel", "手机或固话"], ["fax", "传真"], ["email", "电子邮件"], ["postcode", "邮编"]],
        function (v) { setOrDrop(spec, "format", v); }, "格式")));
    }
    var body = [el("div", {"class": "row g-2"}, rows)];
    if (spec.kind === "choice" || spec.kind === "yesno") { body.push(pairs(at + ".choices", spec.choices, "选项", ["值", "显示文字"])); }
    if (spec.kind === "rows") {
      body.push(el("div", {"class": "row g-2 mt-1"}, [
        labelled("最多行数", input(at + ".max_rows", spec.max_rows, function (v) { setOrDrop(spec, "max_rows", number(v)); }, {label: "最多行数", type: "number"})),
        labelled("最少行数", input(at + ".min_rows", spec.min_rows, function (v) { setOrDrop(spec, "min_rows", number(v)); }, {label: "最少行数", type: "number"}))]));
      body.push(columnsEditor(at + ".columns", spec.columns));
    }
    body.push(el("div", {"class": "mt-2"}, [button("删除此字段", function () {
      mutate(function () { removeField(name); });
    }, {"class": "btn btn-outline-danger btn-sm", "data-testid": "delete-field-" + name})]));
    return el("div", {"class": "fe-field border rounded p-2 mb-2", "data-path": at, "data-testid": "field-" + name}, body);
  }
  function pairs(path, list, title, heads) {
    var box = el("div", {"class": "mt-2", "data-path": path}, [el("div", {"class": "small fw-semibold", text: title})]);
    list.forEach(function (pair, i) {
      box.appendChild(draggable(el("div", {"class": "d-flex gap-1 mb-1 align-items-center"}, [
        el("span", {"class": "fe-grip", text: "⠿", "aria-hidden": "true"}),
        input(path + "[" + i + "][0]", pair[0], function (v) { pair[0] = v; }, {label: title + (i + 1) + heads[0]}),
        input(path + "[" + i + "][1]", pair[1], function (v) { pair[1] = v; }, {label: title + (i + 1) + heads[1]}),
        mover(list, i, title + (i + 1)),
        button("删除", function () { mutate(function () { list.splice(i, 1); }); }, {"aria-label": "删除" + title + (i + 1)})]), list, i, path));
    });
    box.appendChild(button("添加" + title, function () { mutate(function () { list.push(["v" + (list.length + 1), ""]); }); }));
    return box;
  }
  function columnsEditor(path, columns) {
    var box = el("div", {"class": "mt-2", "data-path": path}, [el("div", {"class": "small fw-semibold", text: "表格的列"})]);
    columns.forEach(function (col, i) {
      box.appendChild(draggable(el("div", {"class": "d-flex gap-1 mb-1 align-items-center"}, [
        el("span", {"class": "fe-grip", text: "⠿", "aria-hidden": "true"}),
        input(path + "[" + i + "].key", col.key, function (v) { col.key = v; }, {label: "第" + (i + 1) + "列标识"}),
        input(path + "[" + i + "].label", col.label, function (v) { col.label = v; }, {label: "第" + (i + 1) + "列名称"}),
        input(path + "[" + i + "].max_chars", col.max_chars, function (v) { setOrDrop(col, "max_chars", number(v)); }, {label: "第" + (i + 1) + "列字数上限", type: "number"}),
        mover(columns, i, "第" + (i + 1) + "列"),
        button("删除", function () { mutate(function () { columns.splice(i, 1); }); }, {"aria-label": "删除第" + (i + 1) + "列"})]), columns, i, path));
    });
    box.appendChild(button("添加列", function () { mutate(function () { columns.push({key: "c" + (columns.length + 1), label: "新列", max_chars: 60}); }); }));
    return box;
  }

  function cellView(cell, path, row, c) {
    if (cell.label !== undefined) {
      return el("div", {"class": "fe-cell fe-cell-label"}, [input(path + ".label", cell.label, function (v) { cell.label = v; }, {label: "表格文字"})]);
    }
    if (cell.field !== undefined) {
      var name = cell.field;
      return el("div", {"class": "fe-cell fe-cell-field", "data-path": path}, [
        button((openFields[name] ? "▾ " : "▸ ") + fieldLabel(name), function () { openFields[name] = !openFields[name]; render(); },
          {"class": "btn btn-light btn-sm fe-field-toggle", "data-testid": "toggle-" + name, "aria-expanded": openFields[name] ? "true" : "false"}),
        el("code", {"class": "small ms-1", text: name})]);
    }
    var spec = (state.computed || {})[cell.computed] || {};
    return el("div", {"class": "fe-cell fe-cell-computed", "data-path": path, text: "计算：" + (spec.label || cell.computed)});
  }
  // A new row's second cell spans the rest of the table's width (its widest row), as the paper's rows do.
  function spanning(cell, item) {
    var width = item.rows.reduce(function (m, row) {
      return Math.max(m, row.reduce(function (n, c) { return n + (c.colspan || 1); }, 0));
    }, 2);
    if (width > 2) { cell.colspan = width - 1; }
    return cell;
  }
  function tableEditor(item, at) {
    var box = el("div", {"class": "fe-table border rounded p-2 mb-2", "data-path": at}, [el("div", {"class": "small text-muted mb-1", text: "表格"})]);
    item.rows.forEach(function (row, r) {
      var rowAt = at + ".rows[" + r + "]";
      var line = el("div", {"class": "fe-row d-flex flex-wrap gap-1 align-items-center mb-1", "data-path": rowAt, "data-testid": "table-row"}, [el("span", {"class": "fe-grip", text: "⠿", "aria-hidden": "true"})]);
      row.forEach(function (cell, c) { line.appendChild(cellView(cell, rowAt + "[" + c + "]", row, c)); });
      line.appendChild(el("span", {"class": "ms-auto d-flex gap-1"}, [mover(item.rows, r, "第" + (r + 1) + "行"), button("删除行", function () {
        mutate(function () {
          row.forEach(function (cell) { if (cell.field && state.fields[cell.field]) { delete state.fields[cell.field]; } });
          item.rows.splice(r, 1);
        });
      }, {"aria-label": "删除第" + (r + 1) + "行"})]));
      box.appendChild(draggable(line, item.rows, r, at + ".rows"));
      row.forEach(function (cell) { if (cell.field && openFields[cell.field]) { box.appendChild(fieldEditor(cell.field)); } });
    });
    box.appendChild(el("div", {"class": "d-flex gap-2 mt-1"}, [
      button("添加一行（名称 + 字段）", function () {
        mutate(function () {
          var name = newKey("field_", state.fields);
          state.fields[name] = blankField("text");
          item.rows.push([{label: "新字段"}, spanning({field: name}, item)]);
          openFields[name] = true;
        });
      }, {"data-testid": "add-table-row"}),
      button("添加一行（名称 + 计算项）", function () {
        mutate(function () {
          state.computed = state.computed || {};
          var name = newKey("calc_", Object.assign({}, state.fields, state.computed));
          state.computed[name] = {label: "新计算项", op: "expr", expr: "", places: 2};
          item.rows.push([{label: "新计算项"}, spanning({computed: name}, item)]);
        });
      }, {"data-testid": "add-computed-row"})]));
    return box;
  }
  function sectionsEditor() {
    var list = el("div", {"data-path": "sections"});
    state.sections.forEach(function (section, s) {
      var at = "sections[" + s + "]";
      var items = el("div", {"class": "fe-items"});
      section.items.forEach(function (item, i) {
        var itemAt = at + ".items[" + i + "]";
        var wrap = el("div", {"class": "fe-item d-flex gap-1 align-items-start"}, [el("span", {"class": "fe-grip", text: "⠿", "aria-hidden": "true"})]);
        var inner = el("div", {"class": "flex-grow-1"});
        if (item.type === "table") { inner.appendChild(tableEditor(item, itemAt)); }
        else {
          inner.appendChild(el("div", {"class": "d-flex gap-2 align-items-center mb-1", "data-path": itemAt}, [
            button((openFields[item.field] ? "▾ " : "▸ ") + fieldLabel(item.field), function () { openFields[item.field] = !openFields[item.field]; render(); },
              {"class": "btn btn-light btn-sm fe-field-toggle", "data-testid": "toggle-" + item.field}),
            el("code", {"class": "small", text: item.field})]));
          if (openFields[item.field]) { inner.appendChild(fieldEditor(item.field)); }
        }
        wrap.appendChild(inner);
        wrap.appendChild(mover(section.items, i, "此项"));
        items.appendChild(draggable(wrap, section.items, i, at + ".items"));
      });
      var head = el("div", {"class": "d-flex gap-2 align-items-center mb-2"}, [
        el("span", {"class": "fe-grip", text: "⠿", "aria-hidden": "true"}),
        input(at + ".title", section.title, function (v) { section.title = v; }, {label: "栏目标题", placeholder: "栏目标题（可空）"}),
        mover(state.sections, s, "栏目"),
        button("删除栏目", function () {
          mutate(function () {
            section.items.forEach(function (item) {
              if (item.field) { delete state.fields[item.field]; }
              if (item.rows) { item.rows.forEach(function (row) { row.forEach(function (cell) { if (cell.field) { delete state.fields[cell.field]; } }); }); }
            });
            state.sections.splice(s, 1);
          });
        }, {"class": "btn btn-outline-danger btn-sm"})]);
      var tools = el("div", {"class": "d-flex gap-2"}, [
        button("添加字段（独立一栏）", function () {
          mutate(function () {
            var name = newKey("field_", state.fields);
            state.fields[name] = blankField("textarea");
            section.items.push({type: "block", field: name});
            openFields[name] = true;
          });
        }, {"data-testid": "add-block-" + s}),
        button("添加表格", function () {
          mutate(function () {
            var name = newKey("field_", state.fields);
            state.fields[name] = blankField("text");
            section.items.push({type: "table", rows: [[{label: "新字段"}, {field: name}]]});
          });
        })]);
      list.appendChild(draggable(el("div", {"class": "fe-section border rounded p-2 mb-2", "data-testid": "section"}, [head, items, tools]),
        state.sections, s, "sections"));
    });
    list.appendChild(button("添加栏目", function () { mutate(function () { state.sections.push({title: "新栏目", items: []}); }); }));
    return card("栏目、表格与字段", [el("p", {"class": "small text-muted", text: "点击字段名展开修改；拖动 ⠿ 或用 ↑↓ 调整顺序。"}), list]);
  }
  function computedEditor() {
    state.computed = state.computed || {};
    var numeric = Object.keys(state.fields).filter(function (k) { return ["integer", "decimal"].indexOf(state.fields[k].kind) >= 0; });
    var list = el("div", {"data-path": "computed"});
    Object.keys(state.computed).forEach(function (name) {
      var spec = state.computed[name], at = "computed." + name;
      var parts = [
        labelled("名称", input(at + ".label", spec.label, function (v) { spec.label = v; }, {label: "计算项名称"})),
        labelled("计算方式", select(at + ".op", spec.op, [["sum", "合计"], ["ratio", "比值（如 生机比 12.5:1）"], ["expr", "计算式"]], function (v) {
          spec.op = v;
          if (v === "expr" && spec.expr === undefined) { spec.expr = (spec.of || []).join(" + "); }
          if (v === "sum" && !spec.of) { spec.of = []; }
        }, "计算方式", true))];
      if (spec.op === "expr") {
        parts.push(labelled("计算式（字段标识、数字、+ - * /、括号、sum、round、abs）", input(at + ".expr", spec.expr, function (v) { spec.expr = v; }, {label: "计算式"}), true));
        parts.push(labelled("小数位数", input(at + ".places", spec.places, function (v) { setOrDrop(spec, "places", number(v)); }, {label: "计算项小数位数", type: "number"})));
      } else if (spec.op === "sum") {
        parts.push(labelled("合计的字段（标识，以逗号分隔）", input(at + ".of", (spec.of || []).join(", "), function (v) {
          spec.of = v.split(/[,，\s]+/).filter(Boolean);
        }, {label: "合计的字段"}), true));
      } else {
        parts.push(labelled("分子", select(at + ".num", spec.num || "", [["", "请选择"]].concat(numeric.map(function (k) { return [k, fieldLabel(k)]; })), function (v) { spec.num = v; }, "分子")));
        parts.push(labelled("分母", select(at + ".den", spec.den || "", [["", "请选择"]].concat(numeric.map(function (k) { return [k, fieldLabel(k)]; })), function (v) { spec.den = v; }, "分母")));
      }
      parts.push(el("div", {"class": "col-12"}, [el("code", {"class": "small me-2", text: name}), button("删除计算项", function () {
        mutate(function () {
          delete state.computed[name];
          state.sections.forEach(function (section) { section.items.forEach(function (item) {
            if (item.type === "table") { item.rows = item.rows.filter(function (row) { return !row.some(function (cell) { return cell.computed === name; }); }); }
          }); });
        });
      }, {"class": "btn btn-outline-danger btn-sm"})]));
      list.appendChild(el("div", {"class": "border rounded p-2 mb-2", "data-path": at, "data-testid": "computed-" + name}, [el("div", {"class": "row g-2"}, parts)]));
    });
    var fieldsHint = el("p", {"class": "small text-muted", text: "可用的数值字段：" + numeric.map(function (k) { return k + "（" + fieldLabel(k) + "）"; }).join("、")});
    return card("计算项（合计、比值、计算式）", [fieldsHint, list]);
  }
  function opinionsEditor() {
    var list = el("div", {"data-path": "opinions"});
    state.opinions.forEach(function (box, i) {
      var at = "opinions[" + i + "]";
      var labelInput = input(at + ".label", box.label, function (v) { box.label = v; }, {label: "意见栏" + (i + 1) + "标题"});
      var parts = [
        labelled("审核层级", select(at + ".level", box.level, LEVELS, function (v) { box.level = v; }, "意见栏" + (i + 1) + "层级")),
        labelled("标题", labelInput),
        labelled("签字行（如 组长签字：）", input(at + ".signer", box.signer, function (v) { box.signer = v; }, {label: "意见栏" + (i + 1) + "签字行"})),
        labelled("注（如 （申报、推荐单位不填写此项））", input(at + ".note", box.note, function (v) { setOrDrop(box, "note", v); }, {label: "意见栏" + (i + 1) + "注"}), true),
        el("div", {"class": "col-md-4 col-6"}, [check(at + ".seal", box.seal, function (v) { box.seal = v; }, "盖章")]),
        el("div", {"class": "col-12 d-flex gap-2"}, [
          box.level === "province" ? button("标题随省份称谓（{province}教育厅意见）", function () { mutate(function () { box.label = "{province}教育厅意见"; }); },
            {"data-testid": "province-box-title"}) : null,
          mover(state.opinions, i, "意见栏" + (i + 1)),
          button("删除意见栏", function () { mutate(function () { state.opinions.splice(i, 1); }); }, {"class": "btn btn-outline-danger btn-sm"})])];
      list.appendChild(draggable(el("div", {"class": "border rounded p-2 mb-2", "data-testid": "opinion-" + box.level}, [el("div", {"class": "row g-2"}, parts)]),
        state.opinions, i, "opinions"));
    });
    list.appendChild(button("添加意见栏", function () { mutate(function () { state.opinions.push({level: "county", label: "", signer: "", seal: true}); }); }));
    return card("意见栏", [list]);
  }
  function attachmentsEditor() {
    state.attachments = state.attachments || [];
    var list = el("div", {"data-path": "attachments"});
    state.attachments.forEach(function (name, i) {
      list.appendChild(draggable(el("div", {"class": "d-flex gap-1 mb-1 align-items-center"}, [
        el("span", {"class": "fe-grip", text: "⠿", "aria-hidden": "true"}),
        input("attachments[" + i + "]", name, function (v) { state.attachments[i] = v; }, {label: "附件" + (i + 1)}),
        mover(state.attachments, i, "附件" + (i + 1)),
        button("删除", function () { mutate(function () { state.attachments.splice(i, 1); }); }, {"aria-label": "删除附件" + (i + 1)})]),
        state.attachments, i, "attachments"));
    });
    list.appendChild(button("添加附件", function () { mutate(function () { state.attachments.push("新附件材料"); }); }, {"data-testid": "add-attachment"}));
    return card("附件清单（申报人须附的材料）", [list]);
  }

  function render() {
    var active = document.activeElement && root.contains(document.activeElement) ? document.activeElement.dataset.path : null;
    root.replaceChildren(basics(), sectionsEditor(), computedEditor(), opinionsEditor(), attachmentsEditor());
    if (active) {
      var same = root.querySelector("[data-path='" + active.replace(/'/g, "\\'") + "']");
      if (same && same.focus) { same.focus(); }
    }
    markProblems();
    document.querySelector("[data-action=undo]").disabled = !history.undo.length;
    document.querySelector("[data-action=redo]").disabled = !history.redo.length;
  }

  // ---------- 问题标注：按服务器给出的路径找到输入框，找不到则找最近的上一级 ----------
  function target(path) {
    var p = path;
    while (p) {
      var node = root.querySelector("[data-path='" + p.replace(/'/g, "\\'") + "']");
      if (node) { return node; }
      var cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
      p = cut > 0 ? p.slice(0, cut) : "";
    }
    return null;
  }
  function markProblems() {
    root.querySelectorAll(".is-invalid").forEach(function (n) { n.classList.remove("is-invalid"); });
    root.querySelectorAll(".fe-problem").forEach(function (n) { n.remove(); });
    problemsEl.replaceChildren();
    if (!problems.length) {
      problemsEl.appendChild(el("div", {"class": "alert alert-success py-2 small mb-0", text: "检查通过：可以预览并发布。"}));
      return;
    }
    var listEl = el("ul", {"class": "mb-0 small"});
    problems.forEach(function (p) {
      var node = target(p.path);
      if (node) {
        // 收起的字段先展开，问题才能标在输入框旁。
        node.classList.add("is-invalid");
        node.insertAdjacentElement("afterend", el("div", {"class": "invalid-feedback d-block fe-problem", text: p.message}));
      }
      listEl.appendChild(el("li", {}, [el("a", {href: "#", "data-problem-path": p.path, text: p.where || p.path, onclick: function (e) {
        e.preventDefault();
        var field = (p.path.match(/^fields\.([a-z0-9_]+)/) || [])[1];
        if (field && !openFields[field]) { openFields[field] = true; render(); }
        var t = target(p.path);
        if (t) { t.scrollIntoView({block: "center"}); if (t.focus) { t.focus(); } }
      }}), "：" + p.message]));
    });
    problemsEl.appendChild(el("div", {"class": "alert alert-danger py-2 mb-0", "data-testid": "problem-list"},
      [el("div", {"class": "fw-semibold small", text: "发布前须修正 " + problems.length + " 处问题："}), listEl]));
  }

  // ---------- 保存 ----------
  function save() {
    if (blocked) { return; }
    if (saving) { again = true; return; }
    saving = true;
    saveTimer = null;
    setState("正在保存…");
    var sent = snapshot();
    fetch(saveUrl, {method: "POST", credentials: "same-origin", redirect: "manual",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: JSON.stringify({revision: revision, definition: state})})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json) { throw {expired: true}; }
        return response.json().then(function (body) { return {status: response.status, body: body}; });
      })
      .then(function (r) {
        if (r.status === 200) {
          revision = r.body.revision;
          root.dataset.revision = revision;
          problems = r.body.problems;
          document.querySelectorAll("[data-revision-input]").forEach(function (n) { n.value = revision; });
          if (sent === snapshot()) { try { localStorage.removeItem(localKey); } catch (e) { /* 无妨 */ } }
          setState("已保存 " + r.body.saved_at + "（第 " + revision + " 次修订）");
          hideAlert();
          markProblems();
        } else if (r.status === 409) {
          blocked = true;
          setState("未保存：有冲突");
          showAlert([r.body.detail + " ", button("载入对方的版本（我的修改将丢弃）", function () {
            var before = snapshot();
            state = r.body.definition; revision = r.body.revision; blocked = false;
            remember(before); render(); hideAlert(); setState("已载入最新版本");
          }, {"class": "btn btn-sm btn-warning", "data-testid": "load-theirs"})], "danger");
        } else {
          setState("未保存");
          showAlert([r.body.detail || "保存失败。"], "danger");
        }
      })
      .catch(function (e) {
        setState("未保存（已暂存在本机）");
        showAlert([e && e.expired ? "登录已过期：修改已暂存在本机，请在新窗口重新登录后点“保存”。" : "网络中断：修改已暂存在本机，恢复后点“保存”。"], "warning");
      })
      .then(function () { saving = false; if (again) { again = false; save(); } });
  }

  // ---------- 撤销 / 重做 ----------
  function undo() {
    if (!history.undo.length) { return; }
    history.redo.push(snapshot());
    state = JSON.parse(history.undo.pop());
    keepHistory(); render(); changed();
  }
  function redo() {
    if (!history.redo.length) { return; }
    history.undo.push(snapshot());
    state = JSON.parse(history.redo.pop());
    keepHistory(); render(); changed();
  }
  document.querySelector("[data-action=undo]").addEventListener("click", undo);
  document.querySelector("[data-action=redo]").addEventListener("click", redo);
  document.querySelector("[data-action=save]").addEventListener("click", function () { blocked = false; clearTimeout(saveTimer); save(); });
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "z" && !e.target.matches("input, textarea")) { e.preventDefault(); if (e.shiftKey) { redo(); } else { undo(); } }
  });
  // 离开前仍有未保存的修改：提示（修改也已暂存在本机）。
  window.addEventListener("beforeunload", function (e) { if (saving || saveTimer) { e.preventDefault(); } });

  // 本机暂存比服务器上的新（上次关闭浏览器或登录过期前未保存）：恢复并保存。
  try {
    var local = JSON.parse(localStorage.getItem(localKey));
    if (local && local.base === revision && JSON.stringify(local.definition) !== snapshot()) {
      state = local.definition;
      showAlert(["已恢复上次未保存到服务器的修改，正在保存。"], "info");
      changed();
    }
  } catch (e) { /* 无本机暂存 */ }
  render();
})();
