/* The rating sheet of a party cell (assessment/sheet.html), keyboard first. The page works without it
 * (a plain form); this adds: ↑/↓ or j/k between members, digits 1–4 or the level's letter to set a
 * level (where the scale has points, the score is typed in its box and sets the level by the
 * thresholds; the letters still set a level), 0/Delete to clear, Enter to move on, Ctrl+S to save, the bulk buttons without a round trip,
 * the level from the points (the thresholds are on the options), and the live counter of the cap on
 * "excellent" (its ratio and base come from the year's rules, in the form's data attributes). On the
 * chi bộ's proposals, each row's votes in favour (Tab from its rating; empty: all those present, the
 * number shown as the placeholder, following the "present" field) move along their column with
 * ↑/↓ or Enter; "all unanimous" empties them. */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("rating-sheet");
    if (!form) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select.level:not([disabled])"));
    if (!selects.length) return;
    var shortcuts = {};
    Array.prototype.forEach.call(selects[0].options, function (option, i) {
      if (!option.value) return;
      shortcuts[String(i)] = option.value;
      var letter = option.getAttribute("data-shortcut");
      if (letter) {
        shortcuts[letter] = option.value;
        if (letter.toLowerCase() !== "k" && letter.toLowerCase() !== "j") {
          shortcuts[letter.toLowerCase()] = option.value;
          shortcuts[letter.toUpperCase()] = option.value;
        }
      }
    });
    var counter = document.getElementById("cap-counter");
    var cap = counter && {
      num: parseInt(form.getAttribute("data-cap-num"), 10),
      den: parseInt(form.getAttribute("data-cap-den"), 10),
      baseExcellent: form.getAttribute("data-cap-base-excellent") === "1",
      good: parseInt(form.getAttribute("data-other-good"), 10) || 0,
      excellent: parseInt(form.getAttribute("data-other-excellent"), 10) || 0,
    };
    function rowOf(el) { return el.closest("tr"); }

    function votesOf(select) {
      return rowOf(select).querySelector("input.votes-for");
    }

    function votesValue(select) {
      var votes = votesOf(select);
      return votes ? votes.value : "";
    }

    var initial = selects.map(function (s) { return s.value + "|" + votesValue(s); });
    var present = document.getElementById("id_votes_present");

    function update() {
      var good = 0, excellent = 0;
      selects.forEach(function (s, i) {
        if (s.value === "good") good += 1;
        if (s.value === "excellent") excellent += 1;
        rowOf(s).classList.toggle("changed", s.value + "|" + votesValue(s) !== initial[i]);
      });
      if (!cap) return;
      good += cap.good;
      excellent += cap.excellent;
      var base = good + (cap.baseExcellent ? excellent : 0);
      var allowed = Math.floor(base * cap.num / cap.den);
      var over = excellent > allowed;
      counter.querySelector("[data-cap-excellent]").textContent = String(excellent);
      counter.querySelector("[data-cap-allowed]").textContent = String(allowed);
      counter.classList.toggle("over", over);
      selects.forEach(function (s) { rowOf(s).classList.toggle("excellent-over", over && s.value === "excellent"); });
    }

    // Where the year's scale has points, the points are typed first (their level follows by the
    // thresholds): the row's points box is where the cursor goes; otherwise the level.
    function primary(index) {
      return pointsOf(selects[index]) || selects[index];
    }

    function focusRow(index) {
      if (index < 0 || index >= selects.length) return;
      var control = primary(index);
      control.focus();
      if (control.select && control.tagName === "INPUT") control.select();
    }

    function setLevel(select, value) {
      if (select.value === value) return;
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function pointsOf(select) {
      return rowOf(select).querySelector("input.points");
    }

    function levelForPoints(value) {
      var options = selects[0].options;
      for (var i = 0; i < options.length; i += 1) {
        var min = options[i].getAttribute("data-min-points");
        if (min !== null && value >= parseFloat(min)) return options[i].value;
      }
      return "";
    }

    function focusVotes(index) {
      if (index < 0 || index >= selects.length) return;
      var votes = votesOf(selects[index]);
      if (!votes) return;
      votes.focus();
      votes.select();
    }

    form.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target.matches && target.matches("input.votes-for")) {
        var at = selects.indexOf(rowOf(target).querySelector("select.level"));
        if (event.key === "ArrowDown" || event.key === "Enter") {
          event.preventDefault();
          focusVotes(at + 1);
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          focusVotes(at - 1);
        }
        return;
      }
      var isSelect = target.matches && target.matches("select.level");
      var isPoints = target.matches && target.matches("input.points");
      if (!isSelect && !isPoints) return;
      var row = rowOf(target);
      var index = selects.indexOf(isSelect ? target : row.querySelector("select.level"));
      var key = event.key;
      if (key === "ArrowDown" || key === "Enter" || key === "j") {
        event.preventDefault();
        focusRow(index + 1);
      } else if (key === "ArrowUp" || key === "k") {
        event.preventDefault();
        focusRow(index - 1);
      } else if (isSelect && (key === "0" || key === "Delete" || key === "Backspace")) {
        event.preventDefault();
        setLevel(target, "");
      } else if (Object.prototype.hasOwnProperty.call(shortcuts, key) && (isSelect || !/[0-9]/.test(key))) {
        event.preventDefault(); // in the points box digits are the score; a level's letter sets the level
        setLevel(selects[index], shortcuts[key]);
      } else if (isSelect && key.length === 1) {
        event.preventDefault(); // no type-ahead search among the labels: a stray key changes nothing
      }
    });

    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        var save = document.getElementById("sheet-save");
        if (save && form.requestSubmit) form.requestSubmit(save);
        else if (save) save.click();
      }
    });

    form.addEventListener("change", function (event) {
      if (event.target.matches("input.points")) {
        var value = parseFloat(event.target.value.replace(",", "."));
        var select = rowOf(event.target).querySelector("select.level");
        if (select && !isNaN(value)) setLevel(select, levelForPoints(value));
      }
      update();
    });
    form.addEventListener("input", function (event) {
      if (present && event.target === present) {
        Array.prototype.forEach.call(form.querySelectorAll("input.votes-for"), function (votes) {
          votes.placeholder = present.value;
        });
      }
      if (event.target.matches("input.votes-for")) update();
      if (event.target.matches("input.points")) {
        var value = parseFloat(event.target.value.replace(",", "."));
        var select = rowOf(event.target).querySelector("select.level");
        if (select && !isNaN(value)) setLevel(select, levelForPoints(value));
      }
    });
    form.addEventListener("focusin", function (event) {
      var row = rowOf(event.target);
      Array.prototype.forEach.call(form.querySelectorAll("tr.current"), function (r) { r.classList.remove("current"); });
      if (row && row.classList.contains("sheet-row")) row.classList.add("current");
    });

    Array.prototype.forEach.call(form.querySelectorAll("[data-bulk]"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var action = button.getAttribute("data-bulk");
        selects.forEach(function (s) {
          if (action === "unanimous") {
            var votes = votesOf(s);
            if (votes) votes.value = "";
          } else if (action === "clear") {
            setLevel(s, "");
            var points = pointsOf(s);
            if (points) points.value = "";
          } else if (action === "fill" && !s.value) {
            setLevel(s, "good");
          }
        });
        update();
        focusRow(0);
      });
    });

    update();
    var firstError = form.querySelector("tr.has-error select.level");
    var badVotes = firstError && rowOf(firstError).querySelector("input.votes-for[aria-invalid]");
    if (badVotes) {
      badVotes.focus();
      badVotes.select();
    } else {
      focusRow(firstError ? selects.indexOf(firstError) : 0);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
