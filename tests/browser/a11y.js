// Injected into every page the browser tests open (tests/browser/conftest.py): reports duplicate
// element ids and form controls without an accessible name as a console error that the test fails on.
document.addEventListener("DOMContentLoaded", function () {
  if (location.pathname.indexOf("/api/docs/") === 0) { return; }   // Swagger UI's own markup
  var problems = [], seen = {};
  document.querySelectorAll("[id]").forEach(function (el) {
    if (seen[el.id]) { problems.push("重复的 id：" + el.id); }
    seen[el.id] = true;
  });
  document.querySelectorAll("input, select, textarea").forEach(function (el) {
    if (["hidden", "submit", "button", "reset", "image"].indexOf(el.type) !== -1) { return; }
    var named = (el.labels && el.labels.length) || el.getAttribute("aria-label") ||
      el.getAttribute("aria-labelledby") || el.getAttribute("title");
    if (!named) { problems.push("没有标签的输入项：" + (el.name || el.id || el.outerHTML.slice(0, 60))); }
  });
  if (problems.length) {
    console.error("A11Y " + location.pathname + " " + JSON.stringify(Array.from(new Set(problems))));
  }
});
