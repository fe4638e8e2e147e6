// 下载中心：排队中、生成中的任务每两秒查询一次进度，完成后刷新页面显示下载按钮。
(function () {
  "use strict";
  var rows = document.querySelectorAll("tr[data-status='queued'], tr[data-status='running']");
  if (!rows.length) { return; }
  function poll() {
    var pending = 0;
    var requests = Array.prototype.map.call(rows, function (row) {
      return fetch(row.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (data) {
          var bar = row.querySelector(".progress-bar");
          if (bar) { bar.style.width = data.progress + "%"; bar.textContent = data.progress + "%"; }
          if (data.status === "queued" || data.status === "running") { pending += 1; }
        });
    });
    Promise.all(requests).then(function () {
      if (pending) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
    }).catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
