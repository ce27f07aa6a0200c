/* The plan editor's small keyboard and picker helpers. Everything works
   without this file; it only makes typing quicker. No inline scripts (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Enter in a cell saves the row; Shift+Enter keeps a line break.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (!field.matches || !field.matches("textarea[data-submit-on-enter]")) return;
    event.preventDefault();
    if (field.form) field.form.requestSubmit();
  });

  // The executor picker appends a body or role to the executors cell.
  document.addEventListener("change", function (event) {
    var picker = event.target;
    if (!picker.matches || !picker.matches("select.executor-picker")) return;
    var input = document.getElementById(picker.dataset.target);
    if (!input || !picker.value) return;
    var current = input.value.trim();
    input.value = current ? current.replace(/[,;]\s*$/, "") + ", " + picker.value : picker.value;
    picker.value = "";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus();
  });

  // After a change is saved, put the cursor where the user types next; after
  // a row opens for editing, into its first cell. Previews (GET requests
  // while typing) must never move the cursor.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig || {};
    var target = null;
    if (config.verb === "post") {
      target = document.querySelector("#editor-table [autofocus]");
    } else {
      var opened = /\/activities\/(\d+)\/$/.exec(config.path || "");
      if (opened) {
        target = document.querySelector("#activity-" + opened[1] + " textarea[name=title]");
      }
    }
    if (target && document.activeElement !== target) target.focus();
  });
})();
