// The query page: run the editor's query against the SPARQL endpoint and show the answer.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("query-page-config").textContent);
  const textarea = document.getElementById("query");
  const editor = window.SparqlEditor.attach(textarea, document.getElementById("editor-code"));
  const form = document.getElementById("query-form");
  const status = document.getElementById("status");
  const message = document.getElementById("message");
  const results = document.getElementById("results");

  // Where a value from the data may link: the entity page of one of the project's IRIs, an
  // http(s) or mailto IRI as it is; null for anything else (javascript:, data:...), shown as text.
  function safeHref(iri) {
    if (iri.indexOf(config.base) === 0) {
      const rest = iri.slice(config.base.length);
      if (!/^[\t\n\r]*[\/\\]/.test(rest)) return "/" + rest;  // "//host" is another site
    }
    return /^(https?|mailto):/i.test(iri) ? iri : null;
  }

  // An IRI that can be written <...> in a query (no space, quote, brace or angle bracket).
  function writable(iri) {
    return !/[\u0000-\u0020<>"{}|^`\\]/.test(iri);
  }

  function endpointUrl(query, format) {
    return config.endpoint + "?query=" + encodeURIComponent(query) + "&format=" + format;
  }

  function pageUrl(query, run) {
    return location.pathname + "?query=" + encodeURIComponent(query) + (run ? "&run=1" : "");
  }

  function updateLinks() {
    const query = textarea.value;
    document.getElementById("download-csv").href = endpointUrl(query, "csv");
    document.getElementById("download-json").href = endpointUrl(query, "json");
    document.getElementById("permalink").href = pageUrl(query, true);
  }

  function showMessage(kind, text) {
    message.innerHTML = "";
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

  function termNode(term) {
    const span = document.createElement("span");
    if (!term) return span;
    if (term.type === "uri") {
      const href = safeHref(term.value);
      const link = document.createElement(href ? "a" : "span");
      if (href) link.href = href;
      link.textContent = term.value;
      link.dataset.iri = term.value;
      link.className = "iri";
      span.appendChild(link);
    } else {
      span.textContent = term.value;
      if (term["xml:lang"]) {
        const lang = document.createElement("span");
        lang.className = "lang";
        lang.textContent = "@" + term["xml:lang"];
        span.appendChild(lang);
      }
    }
    return span;
  }

  function renderTable(data) {
    const vars = data.head.vars || [];
    const table = document.createElement("table");
    table.className = "results";
    const head = table.createTHead().insertRow();
    vars.forEach(function (name) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    const body = table.createTBody();
    data.results.bindings.forEach(function (binding) {
      const row = body.insertRow();
      vars.forEach(function (name) {
        const cell = row.insertCell();
        const term = binding[name];
        if (term && term.datatype && /#(integer|decimal|double|int)$/.test(term.datatype)) {
          cell.className = "num";
        }
        cell.appendChild(termNode(term));
      });
    });
    results.innerHTML = "";
    results.appendChild(table);
    addLabels(table);
    return data.results.bindings.length;
  }

  // Replace each IRI's text by its English label with the Chinese label beside it.
  function addLabels(table) {
    const links = Array.prototype.slice.call(table.querySelectorAll("a[data-iri]"));
    const iris = Array.from(new Set(links.map(function (a) { return a.dataset.iri; })))
      .filter(writable).slice(0, 300);
    if (!iris.length) return;
    const values = iris.map(function (iri) { return "<" + iri + ">"; }).join(" ");
    const query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
      "SELECT ?thing ?en ?zh WHERE { VALUES ?thing { " + values + " }\n" +
      " OPTIONAL { ?thing rdfs:label|skos:prefLabel ?en FILTER (LANG(?en) = \"en\") }\n" +
      " OPTIONAL { ?thing rdfs:label|skos:prefLabel ?zh FILTER (LANG(?zh) = \"zh\") } }";
    post(query, "application/sparql-results+json").then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) return;
      const names = {};
      data.results.bindings.forEach(function (b) {
        const entry = names[b.thing.value] || (names[b.thing.value] = {});
        if (b.en && !entry.en) entry.en = b.en.value;
        if (b.zh && !entry.zh) entry.zh = b.zh.value;
      });
      links.forEach(function (link) {
        const name = names[link.dataset.iri];
        if (!name || !name.en) return;
        link.textContent = name.en;
        link.title = link.dataset.iri;
        link.className = "";
        if (name.zh) {
          const zh = document.createElement("span");
          zh.className = "zh";
          zh.textContent = name.zh;
          link.parentNode.appendChild(zh);
        }
      });
    }).catch(function () { /* labels are a nicety: the IRIs stay */ });
  }

  // Declare the project's prefixes a query uses but does not declare, at its top.
  function withPrefixes(query) {
    const declared = {};
    query.replace(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi, function (m, name) { declared[name || ""] = true; });
    const body = query.replace(/#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^>\s]*>/g, " ");
    const missing = Object.keys(config.prefixes).filter(function (name) {
      return !declared[name] && new RegExp("(^|[\\s(/^|,;.{}])" + name + ":").test(body);
    });
    if (!missing.length) return query;
    return missing.map(function (name) {
      return "PREFIX " + name + ": <" + config.prefixes[name] + ">";
    }).join("\n") + "\n" + query;
  }

  function run() {
    const query = withPrefixes(textarea.value);
    if (query !== textarea.value) { textarea.value = query; editor.render(); }
    history.replaceState(null, "", pageUrl(query, true));
    updateLinks();
    showMessage(null, "");
    results.innerHTML = "";
    status.textContent = "Running…";
    const started = performance.now();
    post(query, "application/sparql-results+json, text/turtle;q=0.9").then(function (response) {
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const truncated = response.headers.get("X-Habitat-KG-Truncated");
      const type = response.headers.get("Content-Type") || "";
      return response.text().then(function (body) {
        if (!response.ok) {
          const prefix = response.status === 503 ? "Timed out. " : "Error " + response.status + ". ";
          let text = body;
          try { text = JSON.parse(body).error || body; } catch (ignored) { /* plain text */ }
          status.textContent = "Failed after " + seconds + " s";
          showMessage("error", prefix + text);
          return;
        }
        if (type.indexOf("json") >= 0) {
          const data = JSON.parse(body);
          if (typeof data.boolean === "boolean") {
            results.textContent = "Answer: " + (data.boolean ? "yes (true)" : "no (false)");
            status.textContent = "ASK answered in " + seconds + " s";
          } else {
            const count = renderTable(data);
            status.textContent = count + (count === 1 ? " row" : " rows") + " in " + seconds + " s";
          }
        } else {
          const pre = document.createElement("pre");
          pre.className = "block";
          pre.textContent = body;
          results.appendChild(pre);
          status.textContent = "Graph answered in " + seconds + " s";
        }
        if (truncated) {
          showMessage("notice", "The answer was cut at " + truncated + " rows (the server's row limit).");
        }
      });
    }).catch(function (error) {
      status.textContent = "";
      showMessage("error", "The endpoint could not be reached: " + error);
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  textarea.addEventListener("input", updateLinks);
  document.querySelectorAll(".load-question").forEach(function (button) {
    button.addEventListener("click", function () {
      textarea.value = button.dataset.sparql;
      editor.render();
      updateLinks();
      textarea.focus();
    });
  });
  updateLinks();
  if (new URLSearchParams(location.search).get("run") === "1") run();
})();
