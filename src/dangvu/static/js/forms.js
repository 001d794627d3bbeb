/* Fields shown only when they apply: an input with data-show-when="FIELD=VALUE" (e.g. "kind=temporary")
   is shown, with its label, only while the form's FIELD has VALUE. Without JavaScript every field shows,
   and the server ignores those that do not apply. Self-hosted, no dependencies. */
(function () {
  "use strict";

  function rowOf(input) {
    var field = input.closest(".field") || input;
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    return [field, label].filter(Boolean);
  }

  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (input) {
      var rule = input.dataset.showWhen.split("=");
      var control = form.elements[rule[0]];
      var show = control && control.value === rule[1];
      rowOf(input).forEach(function (el) { el.hidden = !show; });
    });
  }

  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      form.addEventListener("change", function () { update(form); });
      update(form);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
