// The query page: the editor in tabs, running its query against the SPARQL endpoint, the
// answer handed to the result views (window.HabitatResults, when the page has them) or shown as
// a plain table, downloads offered for what the query's form can give, history, short links.
(function () {
  "use strict";
  // The page's words (words.js); a page without them shows the English.
  const T = window.HabitatWords ? window.HabitatWords.t : function (text) {
    const values = arguments;
    return text.replace(/\{(\d+)\}/g, function (whole, n) { return String(values[+n + 1]); });
  };
  const config = JSON.parse(document.getElementById("query-page-config").textContent);
  const textarea = document.getElementById("query");
  const form = document.getElementById("query-form");
  const status = document.getElementById("status");
  const message = document.getElementById("message");
  const results = document.getElementById("results");
  const downloads = Array.from(document.querySelectorAll("#downloads a[data-format]"));
  const permalink = document.getElementById("permalink");
  let failedText = null;  // the text whose run failed: nothing is offered for it
  let tabs = null;  // made once the editor is there: setting its text reports a change
  let linkPending = null;
  let shown = 0;  // answers handed to the views, so that a late one is not shown

  const host = document.createElement("div");
  host.className = "editor";
  host.id = "editor";
  textarea.parentNode.insertBefore(host, textarea);
  textarea.hidden = true;
  const editor = window.SparqlEditor.create(host, {
    doc: textarea.value,
    prefixes: config.prefixes,
    vocabularyUrl: config.vocabulary,
    onRun: run,
    onChange: changed,
  });
  tabs = window.QueryTabs(document.getElementById("query-tabs"), editor, textarea.value);
  const runs = window.QueryHistory(document.getElementById("history"), function (query) {
    tabs.open(query, null);
  });

  // Declare the project's prefixes a query uses but does not declare, at its top.
  function withPrefixes(query) {
    const declared = new Set();
    const used = new Set();
    window.SparqlWords.tokens(query).forEach(function (token, index, all) {
      if (token.kind !== "pname") return;
      const name = token.text.slice(0, token.text.indexOf(":"));
      const before = all[index - 1];
      if (before && before.kind === "word" && before.text.toUpperCase() === "PREFIX") declared.add(name);
      else used.add(name);
    });
    const missing = Array.from(used).filter(function (name) {
      return !declared.has(name) && Object.hasOwn(config.prefixes, name);
    });
    if (!missing.length) return query;
    return missing.map(function (name) {
      return "PREFIX " + name + ": <" + config.prefixes[name] + ">";
    }).join("\n") + "\n" + query;
  }

  function endpointUrl(query, format) {
    return config.endpoint + "?query=" + encodeURIComponent(query) + "&format=" + format;
  }

  // A download is offered only when it can work: a query with no problem the editor knows
  // of, whose last run (if any) did not fail, in the formats of its form, prefixes included.
  function offerDownloads() {
    const text = editor.getValue();
    const problems = window.SparqlWords.problems(text, config.prefixes);
    const kind = {SELECT: "solutions", ASK: "solutions", CONSTRUCT: "graph", DESCRIBE: "graph"}[
      window.SparqlWords.form(text)];
    const fine = kind && !problems.length && failedText !== text;
    const query = fine ? withPrefixes(text) : "";
    downloads.forEach(function (link) {
      const offered = fine && link.dataset.kind === kind;
      link.hidden = !offered;
      if (offered) link.href = endpointUrl(query, link.dataset.format);
      else link.removeAttribute("href");
    });
    document.getElementById("downloads").classList.toggle("none", !fine);
  }

  function changed() {
    if (tabs) tabs.changed();
    offerDownloads();
    clearTimeout(linkPending);
    linkPending = setTimeout(updatePermalink, 300);
  }

  function updatePermalink() {
    const query = editor.getValue();
    return window.QueryLinks.pack(query).then(function (packed) {
      const address = location.pathname + (packed ? "?q=" + packed : "?query=" + encodeURIComponent(query));
      permalink.href = address + "&run=1";
      return permalink.href;
    });
  }

  function showMessage(kind, text) {
    message.textContent = "";
    if (!text) return;
    const box = document.createElement("div");
    box.className = kind;
    box.textContent = text;
    message.appendChild(box);
  }

  function post(query, accept) {
    return fetch(config.endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
      body: "query=" + encodeURIComponent(query),
    });
  }

  function run() {
    const query = withPrefixes(editor.getValue());
    if (query !== editor.getValue()) editor.setValue(query);
    failedText = null;
    updatePermalink().then(function (address) { window.history.replaceState(null, "", address); });
    showMessage(null, "");
    results.textContent = "";
    shown += 1;  // an answer still being labelled is not shown again
    status.textContent = T("Running…");
    const started = performance.now();
    // a graph comes as N-Triples, which the result views read with a real parser (N3.js)
    post(query, "application/sparql-results+json, application/n-triples;q=0.9").then(function (response) {
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const truncated = response.headers.get("X-Habitat-KG-Truncated");
      const type = response.headers.get("Content-Type") || "";
      return response.text().then(function (body) {
        if (!response.ok) return failed(query, response.status, body, seconds);
        let outcome;
        if (type.indexOf("json") >= 0) {
          const data = JSON.parse(body);
          show(data);
          outcome = typeof data.boolean === "boolean" ? "ASK: " + data.boolean
            : T(data.results.bindings.length === 1 ? "{0} row" : "{0} rows", data.results.bindings.length);
        } else {
          show({ntriples: body});
          outcome = T("graph");
        }
        status.textContent = T("{0} in {1} s", outcome, seconds);
        runs.add(query, outcome);
        if (truncated) {
          showMessage("notice", T("The answer was cut at {0} rows (the server's row limit).", truncated));
        }
      });
    }).catch(function (error) {
      status.textContent = "";
      showMessage("error", T("The endpoint could not be reached: {0}", error));
    });
  }

  function failed(query, code, body, seconds) {
    let error = {error: body};
    try { error = JSON.parse(body); } catch (ignored) { /* plain text */ }
    failedText = query;
    offerDownloads();
    status.textContent = T("Failed after {0} s", seconds);
    runs.add(query, "error " + code);
    if (code === 400 && error.line) {
      const words = editor.showServerError(error, query);
      showMessage("error", words || error.error);
      return;
    }
    const prefix = code === 503 ? T("Timed out. ") : T("Error {0}. ", code);
    showMessage("error", prefix + (error.error || body));
  }

  // The answer to the result views when the page has them, else a plain table.
  // The views get the answer at once, then again with the labels of its IRIs once known.
  function show(answer) {
    const views = window.HabitatResults;
    if (views && typeof views.render === "function") {
      const turn = ++shown;
      views.render(results, answer, {prefixes: config.prefixes});
      if (!answer.results) return;
      window.PlainResults.withLabels(answer, config).then(function (labelled) {
        if (labelled && turn === shown) views.render(results, labelled, {prefixes: config.prefixes, keepView: true});
      });
    } else {
      window.PlainResults.render(results, answer, config);
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  document.querySelectorAll(".load-question").forEach(function (button) {
    button.addEventListener("click", function () {
      tabs.open(button.dataset.sparql, button.dataset.title);
      editor.focus();
    });
  });
  // The link is shown, selected, and copied where the browser lets a page write the clipboard.
  permalink.addEventListener("click", function (event) {
    event.preventDefault();
    updatePermalink().then(function (address) {
      const field = document.getElementById("permalink-text");
      field.value = address;
      field.hidden = false;
      field.select();
      const copied = navigator.clipboard ? navigator.clipboard.writeText(address) : Promise.reject();
      return copied.then(function () { status.textContent = T("Link copied ({0} characters)", address.length); },
        function () { status.textContent = T("Copy the link beside ({0} characters)", address.length); });
    });
  });
  document.getElementById("clear-history").addEventListener("click", function () { runs.clear(); });
  window.addEventListener("pagehide", function () { tabs.keep(); });

  // A query in the address (?q= packed, or ?query= as text) opens in a tab of its own.
  const asked = new URLSearchParams(location.search);
  const fromAddress = asked.get("q")
    ? window.QueryLinks.unpack(asked.get("q"), config.maxQueryBytes)
    : Promise.resolve(asked.get("query"));
  fromAddress.then(function (query) {
    if (query) tabs.open(query, null);
    offerDownloads();
    updatePermalink();
    if (query && asked.get("run") === "1") run();
  }, function (error) {
    showMessage("error", T("This link's query was not opened: {0}", error.message));
  });
  window.habitatQueryEditor = editor;  // for the page's tests and the browser's console
})();
