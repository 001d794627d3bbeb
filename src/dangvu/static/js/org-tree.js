/* The organization tree page (organizations/tree.html): show or hide the organizations under a row, or
   all of them. Rows carry data-depth; a row with children has a [data-toggle] button. */
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
