// The answer as a plain table (or a yes/no, or the Turtle text), for a page without the result
// views: window.PlainResults.render(container, answer, config). IRIs of the project link to
// their pages, named by their English label with the Chinese beside it.
(function () {
  "use strict";
  // The page's words (words.js); a page without them shows the English.
  const T = window.HabitatWords ? window.HabitatWords.t : function (text) {
    const values = arguments;
    return text.replace(/\{(\d+)\}/g, function (whole, n) { return String(values[+n + 1]); });
  };

  // Where a value from the data may link: the entity page of one of the project's IRIs, an
  // http(s) or mailto IRI as it is; null for anything else (javascript:, data:...), shown as text.
  function safeHref(iri, base) {
    if (iri.indexOf(base) === 0) {
      const rest = iri.slice(base.length);
      if (!/^[\t\n\r]*[/\\]/.test(rest)) return "/" + rest;  // "//host" is another site
    }
    return /^(https?|mailto):/i.test(iri) ? iri : null;
  }

  // An IRI that can be written <...> in a query (no space, quote, brace or angle bracket).
  function writable(iri) {
    return !/[\u0000-\u0020<>"{}|^`\\]/.test(iri);
  }

  function termNode(term, base) {
    const span = document.createElement("span");
    if (!term) return span;
    if (term.type === "uri") {
      const href = safeHref(term.value, base);
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

  function table(container, data, config) {
    const vars = data.head.vars || [];
    const element = document.createElement("table");
    element.className = "results";
    const head = element.createTHead().insertRow();
    vars.forEach(function (name) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    const body = element.createTBody();
    data.results.bindings.forEach(function (binding) {
      const row = body.insertRow();
      vars.forEach(function (name) {
        const cell = row.insertCell();
        const term = binding[name];
        if (term && term.datatype && /#(integer|decimal|double|int)$/.test(term.datatype)) {
          cell.className = "num";
        }
        cell.appendChild(termNode(term, config.base));
      });
    });
    container.appendChild(element);
    addLabels(element, config);
  }

  // The English and Chinese labels of ``iris`` (at most 300): {iri: {en, zh}}; {} on failure.
  function labelsOf(iris, config) {
    const wanted = Array.from(new Set(iris)).filter(writable).slice(0, 300);
    if (!wanted.length) return Promise.resolve({});
    const values = wanted.map(function (iri) { return "<" + iri + ">"; }).join(" ");
    const query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
      "SELECT ?thing ?en ?zh WHERE { VALUES ?thing { " + values + " }\n" +
      " OPTIONAL { ?thing rdfs:label|skos:prefLabel ?en FILTER (LANG(?en) = \"en\") }\n" +
      " OPTIONAL { ?thing rdfs:label|skos:prefLabel ?zh FILTER (LANG(?zh) = \"zh\") } }";
    return fetch(config.endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
      body: "query=" + encodeURIComponent(query),
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      const names = {};
      (data ? data.results.bindings : []).forEach(function (b) {
        const entry = names[b.thing.value] || (names[b.thing.value] = {});
        if (b.en && !entry.en) entry.en = b.en.value;
        if (b.zh && !entry.zh) entry.zh = b.zh.value;
      });
      return names;
    }).catch(function () { return {}; });  // labels are a nicety: the IRIs stay
  }

  // Replace each IRI's text by its English label with the Chinese label beside it.
  function addLabels(element, config) {
    const links = Array.from(element.querySelectorAll("a[data-iri]"));
    labelsOf(links.map(function (a) { return a.dataset.iri; }), config).then(function (names) {
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
    });
  }

  /** A SELECT answer with a ?xLabel column added for each ?x of IRIs that has none (the
   * English label, else the Chinese), as the result views show it; null when none is known. */
  function withLabels(answer, config) {
    const vars = answer.head.vars || [];
    const rows = answer.results.bindings;
    const bare = vars.filter(function (v) {
      return vars.indexOf(v + "Label") < 0 && rows.some(function (r) { return r[v] && r[v].type === "uri"; });
    });
    const iris = [];
    bare.forEach(function (v) { rows.forEach(function (r) { if (r[v] && r[v].type === "uri") iris.push(r[v].value); }); });
    return labelsOf(iris, config).then(function (names) {
      if (!Object.keys(names).length) return null;
      const added = bare.map(function (v) { return v + "Label"; });
      return {
        head: Object.assign({}, answer.head, {vars: vars.concat(added)}),
        results: {bindings: rows.map(function (row) {
          const labelled = Object.assign({}, row);
          bare.forEach(function (v) {
            const name = row[v] && names[row[v].value];
            const zh = name && name.zh && window.HabitatWords && window.HabitatWords.lang() === "zh";
            const text = name && (zh ? name.zh : name.en || name.zh);
            if (text) labelled[v + "Label"] = {type: "literal", value: text, "xml:lang": zh || !name.en ? "zh" : "en"};
          });
          return labelled;
        })},
      };
    });
  }

  function render(container, answer, config) {
    container.textContent = "";
    const graph = typeof answer.turtle === "string" ? answer.turtle : answer.ntriples;
    if (typeof graph === "string") {
      const pre = document.createElement("pre");
      pre.className = "block";
      pre.textContent = graph;
      container.appendChild(pre);
    } else if (typeof answer.boolean === "boolean") {
      container.textContent = T("Answer: {0}", answer.boolean ? T("yes (true)") : T("no (false)"));
    } else {
      table(container, answer, config);
    }
  }

  window.PlainResults = {render: render, withLabels: withLabels};
})();
