// Loket console: the little the pages need without a framework.
// - [data-refresh="URL"] elements reload their content from URL every
//   data-every seconds (default 15) while the tab is visible.
// - forms with data-confirm ask before submitting.
"use strict";
(function () {
  function refresh(el) {
    if (document.hidden) return;
    fetch(el.dataset.refresh, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); return null; } // session ended: to the login page
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== el.dataset.last) {
          el.innerHTML = html;
          el.dataset.last = html;
        }
      })
      .catch(function () {});
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-refresh]").forEach(function (el) {
      var every = parseInt(el.dataset.every || "15", 10) * 1000;
      setInterval(function () { refresh(el); }, every);
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) {
        if (!window.confirm(f.dataset.confirm)) e.preventDefault();
      });
    });
  });
})();
