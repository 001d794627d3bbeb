/* Organization picker (chọn tổ chức): turns the organization-code box of a filter into a search box over
   the organizations. Self-hosted, no dependencies; without JavaScript the code box stays and works as it is.

   Two kinds of markup (organizations/widgets/org_picker.html):
   - the whole tree in the page: <div class="org-picker" data-tree="ID-OF-JSON" [data-all="…"] data-placeholder="…"
     data-dissolved="…"><input name="…" …><script type="application/json" id="ID-OF-JSON"></div>
     JSON: [{"code": …, "name": …, "depth": n, "dissolved": bool, "pick": bool}, …] in tree order; only the
     rows with "pick" may be chosen (the others give the tree its shape). data-all: the label of "no choice".
   - loaded on demand (a province has thousands of organizations): <div class="org-picker" data-source="URL"
     data-children="URL with __CODE__" data-label="name of the current choice" …><input …></div>. The source
     gives the top of the user's scope, ?q=… a search by name; the children URL the organizations under one
     (each {"code", "name", "parent", "dissolved", "children": bool}; {"results": […], "more": bool}). */
(function () {
  "use strict";

  // Lower case without diacritics (đ → d), as core.text.fold does on the server.
  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // The search box in place of the code box (kept as a hidden field) and the list under it.
  function mount(box, codeInput) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "org-picker-search";
    search.placeholder = box.dataset.placeholder || "";
    search.autocomplete = "off";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-expanded", "false");
    search.id = codeInput.id + "_search";
    search.required = codeInput.required;
    var label = document.querySelector('label[for="' + codeInput.id + '"]');
    if (label) label.htmlFor = search.id;
    var list = document.createElement("ul");
    list.className = "org-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    search.setAttribute("aria-controls", list.id = codeInput.id + "_list");
    codeInput.type = "hidden";
    codeInput.parentNode.insertBefore(search, codeInput);
    box.appendChild(list);
    return {
      search: search,
      list: list,
      open: function () { list.hidden = false; search.setAttribute("aria-expanded", "true"); },
      close: function () { list.hidden = true; search.setAttribute("aria-expanded", "false"); }
    };
  }

  function setup(box) {
    var codeInput = box.querySelector("input[name]");
    var data = document.getElementById(box.dataset.tree);
    if (!codeInput || !data) return;
    var rows = JSON.parse(data.textContent);
    var byCode = {};
    rows.forEach(function (r) { r.words = fold(r.name).split(" "); r.code_folded = fold(r.code); byCode[r.code] = r; });

    // Every word typed begins a word of the name ("na hy" finds "Nà Hỳ", not "Nậm Hý"), or the text is
    // part of the code.
    function matches(r, q) {
      return q.split(" ").every(function (w) {
        return r.words.some(function (x) { return x.indexOf(w) === 0; });
      }) || (q.indexOf(" ") < 0 && r.code_folded.indexOf(q) >= 0);
    }

    var ui = mount(box, codeInput), search = ui.search, list = ui.list;

    function item(code, text, depth, extra, pick) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      if (pick) li.dataset.code = code; else li.className = "group";
      li.style.paddingLeft = (0.5 + depth * 1.1) + "rem";
      li.textContent = text;
      if (extra) {
        var small = document.createElement("span");
        small.className = "muted small";
        small.textContent = " " + extra;
        li.appendChild(small);
      }
      return li;
    }
    var allItem = item("", box.dataset.all || "", 0, "", true);
    if (box.dataset.all) list.appendChild(allItem);
    var items = rows.map(function (r) {
      var li = item(r.code, r.name, r.depth, r.code + (r.dissolved ? " · " + (box.dataset.dissolved || "") : ""),
                    r.pick !== false);
      list.appendChild(li);
      return li;
    });

    function shown() {
      var r = byCode[codeInput.value];
      return r ? r.name : "";
    }
    search.value = shown();

    function filter() {
      var q = fold(search.value);
      if (q === fold(shown())) q = "";  // the current choice is shown: list everything
      var keep = new Array(rows.length);
      var hit = new Array(rows.length);
      var parents = [];
      rows.forEach(function (r, i) {
        parents.length = r.depth;
        parents.push(i);
        if (!q || (hit[i] = matches(r, q))) {
          parents.forEach(function (p) { keep[p] = true; });  // a match keeps its ancestors, for context
        }
      });
      items.forEach(function (li, i) { li.hidden = !keep[i]; li.classList.toggle("match", !!hit[i] && rows[i].pick !== false); });
      allItem.hidden = !!q;
    }
    function open() { filter(); ui.open(); }
    var close = ui.close;
    function choose(code) {
      codeInput.value = code;
      search.value = shown();
      close();
      codeInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    search.addEventListener("focus", open);
    search.addEventListener("input", function (e) { e.stopPropagation(); open(); });
    search.addEventListener("change", function (e) { e.stopPropagation(); });  // only a choice reloads the list
    search.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { search.value = shown(); close(); }
      if (e.key === "Enter") {
        e.preventDefault();
        var first = items.filter(function (li) { return !li.hidden && li.classList.contains("match"); })[0];
        if (first) choose(first.dataset.code); else if (!search.value.trim() && box.dataset.all) choose("");
      }
    });
    list.addEventListener("mousedown", function (e) {
      var li = e.target.closest("li[data-code]");
      if (li) { e.preventDefault(); choose(li.dataset.code); }
    });
    search.addEventListener("blur", function () { search.value = shown(); close(); });
  }

  // -- loaded on demand ---------------------------------------------------------------------------
  function setupLazy(box) {
    var codeInput = box.querySelector("input[name]");
    if (!codeInput) return;
    var label = box.dataset.label || "";
    var ui = mount(box, codeInput), search = ui.search, list = ui.list;
    search.value = label;

    var names = {};  // code → name of every organization shown so far
    var request = 0;  // only the latest answer is shown
    function load(url, then) {
      var mine = ++request;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [], more: false }; })
        .then(function (data) { if (mine === request) then(data); })
        .catch(function () {});
    }
    function item(r, depth, flat) {
      names[r.code] = r.name;
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.dataset.code = r.code;
      li.dataset.depth = depth;
      li.style.paddingLeft = (0.5 + depth * 1.1) + "rem";
      if (r.children && !flat) {
        var toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "org-picker-toggle";
        toggle.setAttribute("aria-expanded", "false");
        toggle.textContent = "▸";
        toggle.tabIndex = -1;
        li.appendChild(toggle);
      }
      li.appendChild(document.createTextNode(r.name));
      var extra = r.code + (flat && r.parent ? " · " + r.parent : "") + (r.dissolved ? " · " + (box.dataset.dissolved || "") : "");
      var small = document.createElement("span");
      small.className = "muted small";
      small.textContent = " " + extra;
      li.appendChild(small);
      return li;
    }
    function show(data, flat) {
      list.textContent = "";
      if (!flat && box.dataset.all) {
        var all = document.createElement("li");
        all.setAttribute("role", "option");
        all.dataset.code = "";
        all.textContent = box.dataset.all;
        list.appendChild(all);
      }
      var top = data.results.map(function (r) {
        var li = item(r, 0, flat);
        if (flat) li.classList.add("match");
        list.appendChild(li);
        return li;
      });
      // A scope with one top organization opens on what is under it (its communes, its chi bộ).
      if (!flat && top.length === 1 && top[0].querySelector(".org-picker-toggle")) expand(top[0]);
      if (data.more) {
        var more = document.createElement("li");
        more.className = "group";
        more.textContent = box.dataset.more || "…";
        list.appendChild(more);
      }
    }
    function expand(li) {
      var toggle = li.querySelector(".org-picker-toggle");
      var depth = +li.dataset.depth;
      var open = toggle.getAttribute("aria-expanded") === "true";
      var next = li.nextElementSibling;
      while (next && +next.dataset.depth > depth) {  // collapse: drop what was loaded under it
        var after = next.nextElementSibling;
        next.remove();
        next = after;
      }
      toggle.setAttribute("aria-expanded", String(!open));
      if (open) return;
      fetch(box.dataset.children.replace("__CODE__", encodeURIComponent(li.dataset.code)),
            { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          var at = li;
          data.results.forEach(function (r) { var c = item(r, depth + 1, false); at.after(c); at = c; });
        })
        .catch(function () {});
    }
    var typing = null;
    function refresh() {
      var q = search.value.trim();
      if (q === label) q = "";  // the current choice is shown: show the top of the tree
      if (q) load(box.dataset.source + "?q=" + encodeURIComponent(q), function (d) { show(d, true); });
      else load(box.dataset.source, function (d) { show(d, false); });
    }
    var open = ui.open, close = ui.close;
    function choose(code) {
      codeInput.value = code;
      label = code ? (names[code] || code) : "";
      search.value = label;
      close();
      codeInput.dispatchEvent(new Event("change", { bubbles: true }));
    }
    search.addEventListener("focus", function () { refresh(); open(); });
    search.addEventListener("input", function (e) {
      e.stopPropagation();
      clearTimeout(typing);
      typing = setTimeout(refresh, 200);
      open();
    });
    search.addEventListener("change", function (e) { e.stopPropagation(); });  // only a choice reloads the list
    search.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { search.value = label; close(); }
      if (e.key === "Enter") {
        e.preventDefault();
        var first = list.querySelector("li.match[data-code]");
        if (first) choose(first.dataset.code); else if (!search.value.trim() && box.dataset.all) choose("");
      }
    });
    list.addEventListener("mousedown", function (e) {
      e.preventDefault();  // keep the focus in the search box
      var toggle = e.target.closest(".org-picker-toggle");
      var li = e.target.closest("li[data-code]");
      if (toggle && li) expand(li); else if (li) choose(li.dataset.code);
    });
    search.addEventListener("blur", function () { search.value = label; close(); });
  }

  function init() {
    document.querySelectorAll(".org-picker[data-tree]").forEach(setup);
    document.querySelectorAll(".org-picker[data-source]").forEach(setupLazy);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
