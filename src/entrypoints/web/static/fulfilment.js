// Fulfilment's scan fields: after each scan (a USB scanner types the code and presses
// Enter) the field is emptied and keeps the focus, whether the scan was taken or refused.
(function () {
  "use strict";
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-scan-form]");
    if (!form) return;
    var field = form.querySelector("[data-scan]");
    form.querySelectorAll("input:not([type=hidden])").forEach(function (input) { input.value = ""; });
    if (field) field.focus();
  });
})();
