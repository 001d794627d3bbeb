/* The behaviour of particular pages, from one file (the Content-Security-Policy allows no inline script).
   Each handler is delegated from the document and does nothing on a page without its elements. */
(function () {
  "use strict";

  // base.html — after an htmx navigation that changed the address, keep the language switch returning here.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    document.querySelectorAll(".lang-switch input[name=next]").forEach(function (el) {
      el.value = window.location.pathname + window.location.search;
    });
  });

  // members/list.html — keep the export link and the sort order in step with the address after an htmx reload.
  document.addEventListener("htmx:pushedIntoHistory", function (e) {
    var link = document.getElementById("export-link");
    if (link) { link.href = link.href.split("?")[0] + window.location.search.replace(/([?&])page=\d+&?/, "$1").replace(/[?&]$/, ""); }
    var sort = document.getElementById("id_sort");
    if (sort) { sort.value = new URLSearchParams(window.location.search).get("sort") || ""; }
  });

  // organizations/split.html — "put every member in": one choice for all the member selects.
document.addEventListener("click", function (e) {
  if (!e.target.closest("[data-split-all]")) return;
  var value = document.getElementById("split-all").value;
  document.querySelectorAll('select[name^="member_"]').forEach(function (s) { s.value = value; });
});

  // organizations/tree.html — expand and collapse the rows of the tree.
(function () {
  function setOpen(row, open) {
    var depth = +row.dataset.depth, btn = row.querySelector("[data-toggle]");
    if (btn) btn.setAttribute("aria-expanded", String(open));
    var r = row.nextElementSibling, skip = null;
    while (r && +r.dataset.depth > depth) {
      var d = +r.dataset.depth;
      if (!open) { r.hidden = true; }
      else if (skip === null || d <= skip) {
        skip = null; r.hidden = false;
        var b = r.querySelector("[data-toggle]");
        if (b && b.getAttribute("aria-expanded") === "false") skip = d;
      }
      r = r.nextElementSibling;
    }
  }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-toggle]");
    if (btn) { var row = btn.closest("tr"); setOpen(row, btn.getAttribute("aria-expanded") !== "true"); return; }
    var all = e.target.closest("[data-tree-all]");
    if (!all) return;
    var expand = all.dataset.treeAll === "expand";
    document.querySelectorAll(".org-tree tbody tr").forEach(function (r) {
      var b = r.querySelector("[data-toggle]");
      if (expand) { r.hidden = false; if (b) b.setAttribute("aria-expanded", "true"); }
      else if (+r.dataset.depth === 0) { setOpen(r, true); }
    });
    if (!expand) document.querySelectorAll('.org-tree tbody tr[data-depth="1"]').forEach(function (r) { setOpen(r, false); });
  });
})();

  // organizations/detail.html — hide the snapshot card when its htmx load fails.
document.addEventListener("htmx:responseError", function (e) {
  var target = e.detail && e.detail.target;
  if (target && target.id === "snapshot-body") {
    var card = document.getElementById("snapshot");
    if (card) card.hidden = true;
  }
});
document.addEventListener("htmx:sendError", function (e) {
  var target = e.detail && e.detail.target;
  if (target && target.id === "snapshot-body") {
    var card = document.getElementById("snapshot");
    if (card) card.hidden = true;
  }
});
  // reports/_report_page.html — the print button of every report page (the print style adds the official
  // header and the signature block, and hides the menus).
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) { e.preventDefault(); window.print(); }
  });
})();
