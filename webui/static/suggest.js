// Search as you type: the search box becomes a combobox with a list of completions
// (the WAI-ARIA 1.2 combobox pattern, list autocomplete). Without this file the
// box is a plain search field and the form works the same.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("search");
  var box = document.getElementById("q");
  if (!form || !box || !form.dataset.suggest || !window.fetch) return;

  var DELAY_MS = 120;
  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "اقتراحات البحث");
  list.hidden = true;
  var status = document.createElement("p");
  status.id = "q-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  box.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", status);

  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-expanded", "false");

  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;

  function counted(n) {
    var digits = n.toLocaleString("ar-EG");
    if (n === 0) return "لا اقتراحات";
    if (n === 1) return "اقتراح واحد";
    if (n === 2) return "اقتراحان";
    if (n % 100 >= 3 && n % 100 <= 10) return digits + " اقتراحات";
    return digits + " اقتراحًا";
  }

  function setActive(index) {
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active >= 0) {
      options[active].setAttribute("aria-selected", "true");
      box.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    setActive(-1);
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
  }

  function open() {
    if (!options.length) return;
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  function choose(index) {
    box.value = options[index].textContent;
    close();
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  function show(suggestions) {
    list.textContent = "";
    options = suggestions.map(function (text, i) {
      var item = document.createElement("li");
      item.id = "q-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = text;
      // mousedown, not click: the box keeps the focus (its blur would close the list first).
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(i);
      });
      list.appendChild(item);
      return item;
    });
    active = -1;
    box.removeAttribute("aria-activedescendant");
    status.textContent = counted(options.length);
    if (options.length) open(); else close();
  }

  function ask() {
    var q = box.value;
    if (pending) pending.abort();
    if (!q.trim()) { show([]); status.textContent = ""; return; }
    pending = window.AbortController ? new AbortController() : null;
    fetch(form.dataset.suggest + "?q=" + encodeURIComponent(q), pending ? { signal: pending.signal } : {})
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (box.value === q) show(data.suggestions || []); })
      .catch(function () { /* aborted by newer typing, or offline: the box still searches */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });

  box.addEventListener("keydown", function (event) {
    var expanded = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!expanded) { open(); if (!event.altKey && options.length) setActive(0); return; }
      setActive(options.length ? (active + 1) % options.length : -1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (!expanded) { open(); if (options.length) setActive(options.length - 1); return; }
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      if (expanded && active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        close();
      } else if (box.value) {
        event.preventDefault();
        box.value = "";
        show([]);
        status.textContent = "";
      }
    }
  });

  box.addEventListener("blur", close);
});
