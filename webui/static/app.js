// Optional enhancements: the page works the same without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("search");
  if (!form) return;
  // Ticking a facet or choosing an order searches at once, instead of waiting for "تطبيق".
  document.querySelectorAll("[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });
  document.querySelectorAll(".filters .apply").forEach(function (button) { button.classList.add("secondary"); });
  // "/" puts the cursor in the search box, as on most search sites.
  var box = document.getElementById("q");
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing && box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
});
