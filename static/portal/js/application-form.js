// 申请表与学校发展规划等按表单定义填写的文书：字数统计、自动计算、自动保存（含本机暂存、冲突与登录过期提示）。
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var url = form.dataset.autosaveUrl;
  // 本机暂存的键：每份草稿一个（申请用其编号，其他文书在 data-draft-key 中给出自己的键）。
  var storeKey = "portal-draft-" + (form.dataset.draftKey || form.dataset.application);
  var lockInput = form.querySelector("input[name=_lock_version]");
  var stateEl = document.querySelector("[data-testid=save-state]");
  var alertEl = document.querySelector("[data-testid=autosave-alert]");
  var dirty = false, saving = false, blocked = false, timer = null;

  // 与服务器一致的计数：每个字符（含标点、空格）计 1，换行不计；按码点计，生僻字也计 1。
  function countChars(text) {
    var n = 0;
    Array.from((text || "").normalize("NFC")).forEach(function (ch) { if (ch !== "\n" && ch !== "\r") { n += 1; } });
    return n;
  }
  function updateCounter(el) {
    var counter = document.querySelector("[data-counter-for='" + el.id + "']");
    if (!counter) { return; }
    var limit = parseInt(el.dataset.maxChars, 10), used = countChars(el.value);
    counter.querySelector(".fs-used").textContent = used;
    counter.classList.toggle("fs-over", used > limit);
    el.classList.toggle("is-invalid", used > limit);
  }

  function number(value) {
    if (value === null || value === undefined || String(value).trim() === "") { return null; }
    var n = Number(String(value).trim());
    return isNaN(n) ? null : n;
  }
  function valueOf(name) {
    var out = document.querySelector("output[data-computed='" + name + "']");
    if (out) { return out.dataset.raw !== undefined ? out.dataset.raw : out.textContent; }
    var input = form.elements[name];
    return input ? input.value : null;
  }
  // 计算式：服务器已解析并检查过的后缀式，这里只按栈求值；空值使结果为空（sum 跳过空值），除以零为空。
  function runPostfix(text) {
    var stack = [];
    (text || "").split(" ").forEach(function (token) {
      if (token.indexOf("n:") === 0) { stack.push(Number(token.slice(2))); return; }
      if (token.indexOf("f:") === 0) { stack.push(number(valueOf(token.slice(2)))); return; }
      if (token === "neg") { var v = stack.pop(); stack.push(v === null ? null : -v); return; }
      var call = token.split(":");
      if (call.length === 2) {
        var args = stack.splice(stack.length - parseInt(call[1], 10));
        if (call[0] === "sum") {
          var present = args.filter(function (a) { return a !== null; });
          stack.push(present.length ? present.reduce(function (a, b) { return a + b; }, 0) : null);
        } else if (args[0] === null) { stack.push(null); }
        else if (call[0] === "abs") { stack.push(Math.abs(args[0])); }
        else { var f = Math.pow(10, Math.min(Math.max(args[1], 0), 6)); stack.push(Math.round(args[0] * f) / f); }
        return;
      }
      var b = stack.pop(), a = stack.pop();
      if (a === null || b === null || (token === "/" && b === 0)) { stack.push(null); return; }
      stack.push(token === "+" ? a + b : token === "-" ? a - b : token === "*" ? a * b : a / b);
    });
    return stack.length ? stack[0] : null;
  }
  function recompute() {
    document.querySelectorAll("output[data-computed]").forEach(function (out) {
      var result = "";
      if (out.dataset.op === "sum") {
        var total = null;
        out.dataset.of.split(" ").forEach(function (name) {
          var n = number(valueOf(name));
          if (n !== null) { total = (total || 0) + n; }
        });
        result = total === null ? "" : String(Math.round(total * 100) / 100);
        out.dataset.raw = result;
      } else if (out.dataset.op === "ratio") {
        var num = number(valueOf(out.dataset.num)), den = number(valueOf(out.dataset.den));
        result = (num === null || !den) ? "" : String(Math.round(num / den * 10) / 10) + ":1";
      } else if (out.dataset.op === "expr") {
        var value = runPostfix(out.dataset.postfix), scale = Math.pow(10, parseInt(out.dataset.places, 10) || 0);
        result = value === null ? "" : String(Math.round(value * scale) / scale);
        out.dataset.raw = result;
      }
      out.textContent = result;
    });
  }

  function entries() {
    var list = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "_lock_version") { list.push([name, value]); }
    });
    return list;
  }
  function keep() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({base: lockInput.value, at: Date.now(), entries: entries()}));
    } catch (e) { /* 本机存储不可用时仍可在线保存 */ }
  }
  function restore(saved) {
    var byName = {};
    saved.entries.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.from(form.elements).forEach(function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "_lock_version" || el.type === "file") { return; }
      var values = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) !== -1; }
      else if (el.name in byName) { el.value = values[0]; }
    });
    form.querySelectorAll("[data-max-chars]").forEach(updateCounter);
    recompute();
  }
  function showAlert(text, tone) {
    alertEl.textContent = text;
    alertEl.className = "fs-alert alert mt-2 mb-0 alert-" + (tone || "warning");
  }
  function hideAlert() { alertEl.className = "fs-alert alert d-none"; }
  function setState(text) { stateEl.textContent = text; }

  function save(keepalive) {
    if (!dirty || saving || blocked) { return; }
    saving = true; dirty = false;
    setState("正在保存…");
    var body = new FormData(form);
    fetch(url, {method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive,
                headers: {"X-Requested-With": "fetch", "Accept": "application/json"}})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) { return [response.status, data]; });
      })
      .then(function (result) {
        var status = result[0], data = result[1];
        saving = false;
        if (status === 200) {
          lockInput.value = data.lock_version;
          form.dataset.lockVersion = data.lock_version;
          setState("已保存 " + data.saved_at);
          hideAlert();
          try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
          if (dirty) { schedule(); }
        } else if (status === 409) {
          blocked = true;
          setState("未保存");
          showAlert(data.error || "他人已修改此申请，您的修改未保存。", "danger");
        } else if (status === 401 || status === 403) {
          dirty = true;
          setState("未保存（已暂存本机）");
          showAlert(data.error || "登录已过期，请重新登录。");
        } else {
          dirty = true;
          setState("未保存");
          showAlert(data.error || "保存失败，内容已暂存在本机，稍后将自动重试。");
        }
      })
      .catch(function () {
        saving = false; dirty = true;
        setState("未保存（已暂存本机）");
        showAlert("网络异常，内容已暂存在本机，恢复连接后将自动保存。");
      });
  }
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { save(false); }, 1500);
  }
  function changed(event) {
    if (event.target.dataset && event.target.dataset.maxChars) { updateCounter(event.target); }
    if (!event.target.name || event.target.type === "file") { return; }
    recompute();
    dirty = true;
    keep();
    setState("有未保存的修改");
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { keep(); window.clearTimeout(timer); dirty = false; });
  window.addEventListener("pagehide", function () { save(true); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(true); } });
  // 在其他窗口重新登录后回到本页时，立即重试。
  window.addEventListener("focus", function () { if (dirty && !blocked) { save(false); } });

  form.querySelectorAll("[data-max-chars]").forEach(updateCounter);
  recompute();

  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
  if (saved && saved.entries) {
    if (JSON.stringify(saved.entries) === JSON.stringify(entries())) {
      localStorage.removeItem(storeKey);
    } else if (String(saved.base) === String(lockInput.value)) {
      restore(saved);
      dirty = true;
      showAlert("已恢复本机暂存的未保存内容，正在保存。", "info");
      save(false);
    } else {
      showAlert("本机有一份未保存的内容，但此后他人已保存了新的版本。");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-dark ms-2";
      button.textContent = "恢复本机暂存内容";
      button.addEventListener("click", function () { restore(saved); dirty = true; save(false); });
      alertEl.appendChild(button);
    }
  } else if (typedBeforeReady()) {
    // 页面显示后、本脚本接管前已输入的内容（网络慢时常见）没有触发过保存：现在保存，免得关闭页面后丢失。
    dirty = true;
    keep();
    setState("有未保存的修改");
    save(false);
  }

  function typedBeforeReady() {
    return Array.from(form.elements).some(function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "_lock_version" || el.type === "file") { return false; }
      if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
      if (el.tagName === "SELECT" && el.multiple) {
        return Array.from(el.options).some(function (o) { return o.selected !== o.defaultSelected; });
      }
      if (el.tagName === "SELECT") {
        // 未标 selected 的单选下拉框默认选中第一项。
        var initial = Array.from(el.options).findIndex(function (o) { return o.defaultSelected; });
        return el.options.length > 0 && el.selectedIndex !== Math.max(initial, 0);
      }
      return "defaultValue" in el && el.value !== el.defaultValue;
    });
  }
})();
