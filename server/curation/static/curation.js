// The review page: the curator's name, the highlighted spans, the entity pickers.
// Every form works without this file (plain POSTs); this adds what makes reviewing quick.
"use strict";

(function () {
  const NAME_KEY = "habitat-kg.curator";
  const curator = document.getElementById("curator");

  // --- the curator's name: kept in this browser, copied into every form on submit ---
  if (curator) {
    const kept = window.localStorage.getItem(NAME_KEY);
    if (kept) curator.value = kept;
    curator.addEventListener("input", function () {
      window.localStorage.setItem(NAME_KEY, curator.value.trim());
    });
    document.addEventListener("submit", function (event) {
      const form = event.target;
      const by = form.querySelector("input.by");
      if (!by) return;
      const name = curator.value.trim();
      if (!name) {
        event.preventDefault();
        curator.setCustomValidity("Give your name: it is recorded with every decision.");
        curator.reportValidity();
        curator.focus();
        return;
      }
      curator.setCustomValidity("");
      by.value = name;
      // a write saves the review and rebuilds the served graph: say so, and take one click only
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      const note = document.getElementById("working");
      if (note) {
        note.textContent = "Saving, and rebuilding the served graph…";
        note.hidden = false;
      }
      document.body.classList.add("working");
    });
  }

  // --- spans: a row (hovered or focused) lights up the words it rests on, and back ---
  function marksOf(id) {
    return document.querySelectorAll('mark.span[data-ids~="' + CSS.escape(id) + '"]');
  }
  function light(row, on) {
    row.classList.toggle("active", on);
    marksOf(row.dataset.id).forEach(function (mark) { mark.classList.toggle("active", on); });
  }
  document.querySelectorAll("tr.row").forEach(function (row) {
    row.addEventListener("mouseenter", function () { light(row, true); });
    row.addEventListener("mouseleave", function () { light(row, false); });
    row.addEventListener("focusin", function () { light(row, true); });
    row.addEventListener("focusout", function () { light(row, false); });
  });
  document.querySelectorAll("mark.span").forEach(function (mark) {
    const ids = mark.dataset.ids.split(" ");
    mark.title = ids.length + (ids.length === 1 ? " proposal" : " proposals") + " rest on these words";
    function rows() { return ids.map(function (id) { return document.getElementById("row-" + id); }).filter(Boolean); }
    mark.addEventListener("mouseenter", function () { rows().forEach(function (r) { light(r, true); }); });
    mark.addEventListener("mouseleave", function () { rows().forEach(function (r) { light(r, false); }); });
    function go() {
      const first = rows()[0];
      if (!first) return;
      first.scrollIntoView({ block: "center" });
      const button = first.querySelector("button, summary");
      if (button) button.focus();
    }
    // a mouse shortcut to the rows; from the keyboard the rows are reached by Tab (and
    // focusing a row's buttons lights up its words), so the marks stay out of the Tab order
    mark.addEventListener("click", go);
  });

  // --- the "add a statement" form: the predicates and the object field follow the kind ---
  const OBJECT_TYPES = { date: "date", figure: "number" };
  document.querySelectorAll("form.add-form").forEach(function (form) {
    const kind = form.querySelector("select.kind");
    const predicate = form.querySelector("select.predicate");
    const object = form.querySelector("input.object");
    function follow() {
      predicate.querySelectorAll("optgroup").forEach(function (group) {
        const mine = group.dataset.kind === kind.value;
        group.hidden = !mine;
        group.disabled = !mine;
      });
      if (predicate.selectedOptions[0] && predicate.selectedOptions[0].parentElement.disabled) {
        predicate.value = "";
      }
      object.type = OBJECT_TYPES[kind.value] || "text";
      object.classList.toggle("picker", !OBJECT_TYPES[kind.value]);
    }
    kind.addEventListener("change", follow);
    follow();
  });

  // --- entity pickers: names in English or Chinese, suggested as one types ---
  let listCount = 0;
  function picker(input) {
    const list = document.createElement("ul");
    list.className = "suggestions";
    list.id = "suggestions-" + (++listCount);
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.after(list);
    const picked = document.createElement("span");
    picked.className = "picked";
    picked.setAttribute("aria-live", "polite");
    list.after(picked);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    let active = -1;
    let timer = null;
    let asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(index) {
      const items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }
    function choose(li) {
      input.value = li.dataset.value;
      picked.textContent = li.dataset.label;
      close();
    }
    function show(entries) {
      list.replaceChildren();
      entries.forEach(function (entry, i) {
        const li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.value = entry.curie || entry.iri;
        li.title = entry.iri;
        li.dataset.label = entry.label + (entry.where ? " · " + entry.where : "");
        const label = document.createElement("span");
        label.textContent = entry.label;
        if (entry.where) {
          const where = document.createElement("span");
          where.className = "where";
          where.textContent = " · " + entry.where;
          label.append(where);
        }
        const type = document.createElement("span");
        type.className = "type";
        type.textContent = entry.type;
        li.append(label, type);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.append(li);
      });
      list.hidden = entries.length === 0;
      input.setAttribute("aria-expanded", String(entries.length > 0));
      active = -1;
    }
    function ask() {
      if (!input.classList.contains("picker")) return close();
      const prefix = input.value.trim();
      if (prefix.length < 1 || /^(https?:|[a-z]+:)/.test(prefix)) return close();
      const mine = ++asked;
      fetch("suggest?q=" + encodeURIComponent(prefix) + "&limit=12", { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : []; })
        .then(function (entries) { if (mine === asked) show(entries); })
        .catch(close);
    }
    input.addEventListener("input", function () {
      picked.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      const items = list.querySelectorAll("li");
      if (list.hidden || items.length === 0) return;
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }
  document.querySelectorAll("input.picker, input.object").forEach(picker);
})();
