/* The query page's memory, all in this browser: tabs of open queries and the history of queries
 * run (localStorage, kept across reloads), and short links that hold a query compressed in the
 * address itself (deflate, then base64url: nothing is stored on the server, which is read-only).
 * window.QueryTabs, window.QueryHistory, window.QueryLinks. */
(function () {
  "use strict";
  // The page's words (words.js); a page without them shows the English.
  const T = window.HabitatWords ? window.HabitatWords.t : function (text) {
    const values = arguments;
    return text.replace(/\{(\d+)\}/g, function (whole, n) { return String(values[+n + 1]); });
  };
  const TABS_KEY = "habitat-kg.query.tabs";
  const HISTORY_KEY = "habitat-kg.query.history";
  const MOST_HISTORY = 50;
  const MOST_TABS = 20;

  function read(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (ignored) {
      return fallback;  // storage off or spoilt: start afresh
    }
  }

  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (ignored) { /* storage full or off */ }
  }

  /** What a query is about, for a tab's title or a history line: its first line past PREFIX. */
  function gist(query) {
    const line = query.split("\n").map(function (l) { return l.trim(); })
      .find(function (l) { return l && !/^(PREFIX|BASE|#)/i.test(l); });
    return (line || "(empty)").slice(0, 80);
  }

  // -- tabs -----------------------------------------------------------------------------------

  /** Tabs drawn in ``bar``; ``editor`` has getValue and setValue. Returns {open, current}. */
  function Tabs(bar, editor, firstQuery) {
    let state = read(TABS_KEY, null);
    if (!state || !Array.isArray(state.tabs) || !state.tabs.length) {
      state = {tabs: [{id: 1, name: null, query: firstQuery}], active: 1, next: 2};
    }
    state.tabs = state.tabs.filter(function (t) { return t && typeof t.query === "string"; });
    if (!state.tabs.length) state.tabs.push({id: 1, name: null, query: firstQuery});
    state.next = Math.max(state.next || 0, ...state.tabs.map(function (t) { return t.id + 1; }));
    if (!state.tabs.some(function (t) { return t.id === state.active; })) state.active = state.tabs[0].id;

    // A tab without a name of its own is called by its number, in the page's language (an
    // older "Query 2" too: it was stored before names were).
    function nameOf(tab) {
      return tab.name && !/^Query \d+$/.test(tab.name) ? tab.name : T("Query {0}", tab.id);
    }

    function active() { return state.tabs.find(function (t) { return t.id === state.active; }); }

    function keep() {
      active().query = editor.getValue();
      write(TABS_KEY, state);
    }

    function show(id) {
      keep();
      state.active = id;
      editor.setValue(active().query);
      write(TABS_KEY, state);
      draw();
    }

    function close(id) {
      keep();
      const index = state.tabs.findIndex(function (t) { return t.id === id; });
      state.tabs.splice(index, 1);
      if (!state.tabs.length) {
        const fresh = state.next++;
        state.tabs.push({id: fresh, name: null, query: ""});
      }
      if (state.active === id) {
        state.active = state.tabs[Math.min(index, state.tabs.length - 1)].id;
        editor.setValue(active().query);
      }
      write(TABS_KEY, state);
      draw();
    }

    /** Open ``query`` in a tab: the one that holds it already, else a new one. */
    function open(query, name) {
      keep();
      const same = state.tabs.find(function (t) { return t.query === query; });
      if (same) { show(same.id); return; }
      if (state.tabs.length >= MOST_TABS) state.tabs.shift();
      const id = state.next++;
      state.tabs.push({id: id, name: name ? name.slice(0, 60) : null, query: query});
      state.active = id;
      editor.setValue(query);
      write(TABS_KEY, state);
      draw();
    }

    function draw() {
      bar.textContent = "";
      state.tabs.forEach(function (tab) {
        const item = document.createElement("span");
        item.className = "tab" + (tab.id === state.active ? " active" : "");
        item.setAttribute("role", "presentation");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "tab-name";
        button.setAttribute("role", "tab");
        button.setAttribute("aria-selected", String(tab.id === state.active));
        button.textContent = nameOf(tab);
        button.title = gist(tab.query);
        button.addEventListener("click", function () { if (tab.id !== state.active) show(tab.id); });
        const shut = document.createElement("button");
        shut.type = "button";
        shut.className = "tab-close";
        shut.textContent = "×";
        shut.setAttribute("aria-label", T("Close {0}", nameOf(tab)));
        shut.addEventListener("click", function () { close(tab.id); });
        item.append(button, shut);
        bar.appendChild(item);
      });
      const add = document.createElement("button");
      add.type = "button";
      add.className = "tab-add";
      add.textContent = "+";
      add.title = T("New query tab");
      add.setAttribute("aria-label", T("New query tab"));
      add.addEventListener("click", function () { open("", null); editor.focus(); });
      bar.appendChild(add);
    }

    editor.setValue(active().query);
    draw();
    let pending = null;
    return {
      open: open,
      /** Keep the text of the tab in storage (soon after a change, at once on leaving). */
      changed: function () { clearTimeout(pending); pending = setTimeout(keep, 250); },
      keep: keep,
      current: function () { return {id: active().id, name: active().name}; },
    };
  }

  // -- history --------------------------------------------------------------------------------

  /** The queries run, newest first, drawn in ``list``; ``onOpen(query)`` when one is chosen. */
  function History(list, onOpen) {
    function entries() {
      const found = read(HISTORY_KEY, []);
      return Array.isArray(found) ? found.filter(function (e) { return e && typeof e.query === "string"; }) : [];
    }

    function draw() {
      list.textContent = "";
      const all = entries();
      if (!all.length) {
        const none = document.createElement("li");
        none.className = "muted";
        none.textContent = T("Queries you run are listed here (in this browser only).");
        list.appendChild(none);
      }
      all.forEach(function (entry) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "history-entry";
        button.title = entry.query;
        const what = document.createElement("span");
        what.className = "gist";
        what.textContent = gist(entry.query);
        const when = document.createElement("span");
        when.className = "when";
        when.textContent = new Date(entry.at).toLocaleString(document.documentElement.lang || undefined) + (entry.outcome ? " · " + entry.outcome : "");
        button.append(what, when);
        button.addEventListener("click", function () { onOpen(entry.query); });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    draw();
    return {
      add: function (query, outcome) {
        const kept = entries().filter(function (e) { return e.query !== query; });
        kept.unshift({query: query, at: new Date().toISOString(), outcome: outcome || ""});
        write(HISTORY_KEY, kept.slice(0, MOST_HISTORY));
        draw();
      },
      clear: function () { write(HISTORY_KEY, []); draw(); },
    };
  }

  // -- short links ----------------------------------------------------------------------------

  function toBase64Url(bytes) {
    let binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  /** ``query`` deflated and in base64url; null where the browser cannot compress. */
  function pack(query) {
    if (typeof CompressionStream === "undefined") return Promise.resolve(null);
    const stream = new Blob([query]).stream().pipeThrough(new CompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer().then(function (buffer) {
      return toBase64Url(new Uint8Array(buffer));
    });
  }

  /** The query packed in ``text``; refuses one that inflates past ``most`` bytes (a small
   * link must not make the page fill its memory). */
  function unpack(text, most) {
    let bytes;
    try { bytes = fromBase64Url(text); } catch (error) {
      return Promise.reject(new Error("the link's query is not base64url text"));
    }
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
    const chunks = [];
    let size = 0;
    function next() {
      return reader.read().then(function (step) {
        if (step.done) return new TextDecoder("utf-8", {fatal: true}).decode(concat(chunks, size));
        size += step.value.length;
        if (size > most) {
          reader.cancel();
          throw new Error("the link's query is longer than " + most + " bytes");
        }
        chunks.push(step.value);
        return next();
      });
    }
    return next().catch(function (error) {
      throw new Error(/longer than|base64url/.test(error.message) ? error.message
        : "the link's query cannot be read (it may have been cut short)");
    });
  }

  function concat(chunks, size) {
    const all = new Uint8Array(size);
    let at = 0;
    chunks.forEach(function (c) { all.set(c, at); at += c.length; });
    return all;
  }

  window.QueryTabs = Tabs;
  window.QueryHistory = History;
  window.QueryLinks = {pack: pack, unpack: unpack, gist: gist};
})();
