// The review page: the curator's name, writes in place, the keyboard, filters, the highlighted
// spans, the entity pickers.
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
      if (by) {
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
      }
      // (a control named "action" hides form.action: read the attributes)
      if (!form.closest("main") || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
      // a write saves the review and rebuilds the served graph: one click only, done in place
      event.preventDefault();
      if (form.dataset.sent) return;
      send(form, event.submitter);
    });
  }

  // --- writes, in place: the answer holds the paragraphs the write changed, as on the page ---
  let inFlight = 0;
  function working(change) {
    inFlight += change;
    const note = document.getElementById("working");
    if (note) {
      note.textContent = window.HabitatWords.t("Saving, and rebuilding the served graph…");
      note.hidden = inFlight === 0;
    }
    document.body.classList.toggle("working", inFlight > 0);
  }
  function firstPendingAfter(row) {
    let next = row ? nextRow(row, 1) : null;
    while (next && next.dataset.state !== "pending") next = nextRow(next, 1);
    return next;
  }
  function send(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const row = form.closest("tr.row");
    const action = submitter && submitter.value ? submitter.value : "";
    const token = form.querySelector("input[name=csrf_token]");
    // the reviewer goes on at once to the next row (or paragraph) while this one is saved
    let ahead = null;
    if (row && (action === "accept" || action === "reject")) ahead = nextRow(row, 1);
    if (form.classList.contains("accept-passage")) {
      const rows = form.closest("section.passage").querySelectorAll("tr.row");
      ahead = firstPendingAfter(rows[rows.length - 1]);
    }
    if (row) row.classList.add("saving");
    if (ahead) focusRow(ahead);
    form.dataset.sent = "1";
    clearError(form);
    working(1);
    fetch(new URL(form.getAttribute("action"), document.baseURI), {
      method: "POST",
      body: new URLSearchParams(data),
      credentials: "same-origin",
      headers: { "X-CSRF-Token": token ? token.value : "", "Accept": "application/json" },
    })
      .then(function (answer) {
        return answer.text().then(function (text) {
          let body;
          try { body = JSON.parse(text); } catch (_) {
            // a plain or HTML answer (403, 404 ...): its words, never its markup
            const page = new DOMParser().parseFromString(text, "text/html");
            body = { error: (page.body.textContent || "").trim().slice(0, 300) || answer.statusText };
          }
          return { ok: answer.ok, body: body };
        });
      })
      .then(function (result) {
        working(-1);
        delete form.dataset.sent;
        if (row) row.classList.remove("saving");
        if (!result.ok || result.body.error) { failed(form, row, result.body.error || "not saved"); return; }
        const current = document.activeElement;
        const currentRow = current && current.closest ? current.closest("tr.row") : null;
        shown(result.body);
        // focus stays on the row it was on, which the answer may have drawn anew
        let target = null;
        if (currentRow && !currentRow.isConnected) target = document.getElementById(currentRow.id);
        else if (!currentRow && row && (!current || !current.isConnected || current === document.body)) {
          target = document.getElementById(row.id);
        }
        if (target) focusRow(target);
      })
      .catch(function (problem) {
        working(-1);
        delete form.dataset.sent;
        if (row) row.classList.remove("saving");
        failed(form, row, "not saved: " + problem.message);
      });
  }
  function failed(form, row, message) {
    showError(form, message);
    if (row && row.isConnected) focusRow(row);
  }
  function shown(body) {
    Object.keys(body.passages).forEach(function (anchor) {
      const old = document.getElementById(anchor);
      if (!old) return;
      const made = document.createElement("template");
      made.innerHTML = body.passages[anchor].html.trim();
      const section = made.content.firstElementChild;
      old.replaceWith(section);
      bind(section);
      const link = document.querySelector('nav.jump a[data-anchor="' + CSS.escape(anchor) + '"]');
      if (link) {
        const pending = body.passages[anchor].pending;
        link.className = pending ? "has-pending" : (body.passages[anchor].rows ? "done" : "empty");
        link.title = pending ? pending + " pending" : "";
      }
    });
    ["pending-left", "pending-count"].forEach(function (id) {
      const count = document.getElementById(id);
      if (count) count.textContent = String(body.pending);
    });
    const saved = document.getElementById("saved");
    const words = window.HabitatWords;
    saved.textContent = words.t("Saved: {0}.", body.done) +
      (body.stale ? words.t(" The served graph does not show it yet: {0}", body.stale) : "");
    saved.hidden = false;
    const undo = document.getElementById("undo-form");
    undo.hidden = !body.undo;
    document.getElementById("undo-what").textContent = body.undo || "";
    filter();
  }
  function errorPlace(form) {
    const row = form.closest("tr.row");
    if (row) return row.querySelector("td.actions");
    const actions = form.closest(".passage-actions");
    return actions || form.parentElement;
  }
  function clearError(form) {
    const place = errorPlace(form);
    place.querySelectorAll(".row-error, .passage-error").forEach(function (e) { e.remove(); });
  }
  function showError(form, message) {
    const place = errorPlace(form);
    const note = document.createElement("span");
    note.className = form.closest("tr.row") ? "row-error" : "passage-error";
    note.setAttribute("role", "alert");
    note.textContent = message;
    place.append(note);
  }

  // --- the keyboard: j/k move between rows, a/r/e decide on the focused one, as review tools do ---
  function visibleRows() {
    return Array.from(document.querySelectorAll("tr.row")).filter(shownRow);
  }
  function shownRow(row) {
    return !row.classList.contains("filtered") && !row.closest("section.filtered");
  }
  function nextRow(row, step) {
    // the next row shown after this one (which a filter may hide once decided)
    const rows = Array.from(document.querySelectorAll("tr.row"));
    for (let at = rows.indexOf(row) + step; at >= 0 && at < rows.length; at += step) {
      if (shownRow(rows[at])) return rows[at];
    }
    return null;
  }
  function focusRow(row) {
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const open = target.closest && target.closest("tr.row details[open]");
    if (event.key === "Escape" && open && !event.defaultPrevented) {
      // Escape leaves a correction unsaved and goes back to its row
      open.open = false;
      focusRow(open.closest("tr.row"));
      return;
    }
    if (target.closest("input, select, textarea, [contenteditable]")) return;
    const row = target.closest && target.closest("tr.row");
    const key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      const rows = visibleRows();
      const next = row ? nextRow(row, key === "j" ? 1 : -1) : rows[0];
      if (next) focusRow(next);
    } else if (key === "u") {
      const undo = document.getElementById("undo-form");
      if (!undo.hidden) { event.preventDefault(); undo.requestSubmit(); }
    } else if (row && (key === "a" || key === "r")) {
      const button = row.querySelector(key === "a" ? "button.accept" : "button.reject");
      if (button) { event.preventDefault(); button.form.requestSubmit(button); }
    } else if (row && key === "e") {
      const details = row.querySelector("details.correct");
      if (details) {
        event.preventDefault();
        details.open = true;
        const field = details.querySelector("[name=object]") || details.querySelector("select");
        if (field) field.focus();
      }
    } else if (key === "p" && target.closest("section.passage")) {
      const form = target.closest("section.passage").querySelector("form.accept-passage");
      if (form) { event.preventDefault(); form.requestSubmit(); }
    }
  });

  // --- filters: by state and confidence; rows of descriptions (labels, types) can be hidden ---
  function filter() {
    const state = document.getElementById("filter-state").value;
    const low = parseFloat(document.getElementById("filter-min").value) || 0;
    const highValue = parseFloat(document.getElementById("filter-max").value);
    const high = isNaN(highValue) ? 1 : highValue;
    const linksOnly = document.getElementById("filter-kinds").checked;
    const active = state !== "" || low > 0 || high < 1 || linksOnly;
    let shownRows = 0;
    let all = 0;
    document.querySelectorAll("section.passage").forEach(function (section) {
      let left = 0;
      section.querySelectorAll("tr.row").forEach(function (row) {
        const confidence = parseFloat(row.dataset.confidence);
        const descriptive = row.classList.contains("kind-activity") || row.classList.contains("kind-entity");
        const keep = (!state || row.dataset.state === state) && confidence >= low - 1e-9 &&
          confidence <= high + 1e-9 && !(linksOnly && descriptive);
        row.classList.toggle("filtered", !keep);
        all += 1;
        if (keep) { left += 1; shownRows += 1; }
      });
      section.classList.toggle("filtered", active && left === 0);
    });
    document.getElementById("shown").textContent =
      active ? window.HabitatWords.t("{0} of {1} rows shown", shownRows, all) : "";
  }
  // the filters are kept in this browser, as the curator's name is
  const FILTERS_KEY = "habitat-kg.curation-filters";
  const FILTERS = ["filter-state", "filter-min", "filter-max", "filter-kinds"];
  function keepFilters() {
    const kept = {};
    FILTERS.forEach(function (id) {
      const field = document.getElementById(id);
      kept[id] = field.type === "checkbox" ? field.checked : field.value;
    });
    window.localStorage.setItem(FILTERS_KEY, JSON.stringify(kept));
  }
  try {
    const kept = JSON.parse(window.localStorage.getItem(FILTERS_KEY) || "{}");
    FILTERS.forEach(function (id) {
      const field = document.getElementById(id);
      if (!field || !(id in kept)) return;
      if (field.type === "checkbox") field.checked = kept[id] === true;
      else if (field.tagName === "SELECT") {
        if (Array.from(field.options).some(function (o) { return o.value === kept[id]; })) field.value = kept[id];
      } else if (/^(0(\.\d+)?|1(\.0+)?)$/.test(String(kept[id]))) field.value = kept[id];
    });
  } catch (_) { /* a broken entry: the filters start empty */ }
  FILTERS.forEach(function (id) {
    const field = document.getElementById(id);
    if (!field) return;
    field.addEventListener("input", function () { filter(); keepFilters(); });
    field.addEventListener("change", function () { filter(); keepFilters(); });
  });

  // --- spans: a row (hovered or focused) lights up the words it rests on, and back ---
  function marksOf(id) {
    return document.querySelectorAll('mark.span[data-ids~="' + CSS.escape(id) + '"]');
  }
  function light(row, on) {
    row.classList.toggle("active", on);
    marksOf(row.dataset.id).forEach(function (mark) { mark.classList.toggle("active", on); });
  }
  function bindSpans(root) {
    root.querySelectorAll("tr.row").forEach(function (row) {
      row.addEventListener("mouseenter", function () { light(row, true); });
      row.addEventListener("mouseleave", function () { light(row, false); });
      row.addEventListener("focusin", function () { light(row, true); });
      row.addEventListener("focusout", function () { light(row, false); });
    });
    root.querySelectorAll("mark.span").forEach(function (mark) {
      const ids = mark.dataset.ids.split(" ");
      mark.title = ids.length + (ids.length === 1 ? " proposal" : " proposals") + " rest on these words";
      function rows() { return ids.map(function (id) { return document.getElementById("row-" + id); }).filter(Boolean); }
      mark.addEventListener("mouseenter", function () { rows().forEach(function (r) { light(r, true); }); });
      mark.addEventListener("mouseleave", function () { rows().forEach(function (r) { light(r, false); }); });
      function go() {
        const first = rows()[0];
        if (!first) return;
        first.scrollIntoView({ block: "center" });
        first.focus({ preventScroll: true });  // then a, r, e act on it
      }
      // a mouse shortcut to the rows; from the keyboard the rows are reached by j/k or Tab (and
      // focusing a row lights up its words), so the marks stay out of the Tab order
      mark.addEventListener("click", go);
    });
  }

  // --- the "add a statement" form: the predicates and the object field follow the kind ---
  const OBJECT_TYPES = { date: "date", figure: "number" };
  function bindAddForms(root) {
    root.querySelectorAll("form.add-form").forEach(function (form) {
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
  }

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

  // what a paragraph's rows and forms need, for the page and for a paragraph a write replaced
  function bind(root) {
    bindSpans(root);
    bindAddForms(root);
    root.querySelectorAll("input.picker, input.object").forEach(picker);
  }
  bind(document);
  filter();
})();
