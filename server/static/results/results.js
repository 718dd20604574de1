/* Result views for SPARQL answers (issue 17, point 4): the table and the choice of views.
 *
 * Contract: window.HabitatResults.render(container, answer, options)
 *   answer is one of
 *     - the parsed SPARQL 1.1 JSON results object of a SELECT ({head:{vars}, results:{bindings}})
 *       or of an ASK ({head:{}, boolean:true|false});
 *     - {"ntriples": "<text>"} or {"turtle": "<text>"} for CONSTRUCT/DESCRIBE: read with the
 *       vendored N3.js parser, shown as a network (results-network.js) and as Turtle.
 *   options (optional) = {endpoint: "/sparql", query: "<full query text, prefixes included>",
 *   prefixes: {name: iri}}: with the endpoint and the query, download links are offered (CSV,
 *   TSV, JSON, XLSX for SELECT/ASK; Turtle and JSON-LD for CONSTRUCT/DESCRIBE), each a GET of
 *   the endpoint with format=..., which the endpoint answers for that query form; the prefixes
 *   shorten the Turtle text of a graph; keepView: true keeps the view shown in the container
 *   (the same answer drawn again, with labels).
 *   The views offered are chosen from the columns, as the Wikidata Query Service does: table
 *   always; chart (line when the x column is ordered, bars otherwise) when there is a number
 *   column; timeline when a column holds dates; map for country codes or coordinates; network
 *   when two columns hold IRIs. The other views live in results-*.js, which register in
 *   HabitatResults.views; this file must load first.
 * Every text from the answer reaches the DOM through textContent or setAttribute, never innerHTML.
 */
(function () {
  "use strict";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var BASE = "https://w3id.org/habitat-kg/";
  var PAGE = 25;
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger", "positiveInteger"];
  var DATES = ["date", "dateTime", "gYear", "gYearMonth"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* The views' words in the page's language: the page's JSON block #habitat-results-words
     (written by _results.html through server/languages.py's catalogue), else the English.
     "{name}" in a word is replaced by values[name]. */
  function word(english, values) {
    var words = window.HabitatWords.block("habitat-results-words");
    var text = typeof words[english] === "string" ? words[english] : english;
    return !values ? text : text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? String(values[name]) : all; });
  }
  /* The page's words of column names (#habitat-results-columns; empty in English). */
  function columnWords() { return window.HabitatWords.block("habitat-results-columns"); }
  /* "roleLabel" -> "Role", "startDate" -> "Start date", "org_name" -> "Org name"; on a page
     in another language its words translated where the catalogue has them all (角色). */
  function readableHeader(name) {
    var words = name.replace(/Label$/, "").replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
    var known = columnWords(), parts = words.split(" ").filter(Boolean);
    if (Object.prototype.hasOwnProperty.call(known, words)) return known[words];
    if (parts.length && parts.every(function (p) { return Object.prototype.hasOwnProperty.call(known, p); })) {
      return parts.map(function (p) { return known[p]; }).join("");
    }
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  function dtype(term) {
    return term && term.datatype && term.datatype.indexOf(XSD) === 0 ? term.datatype.slice(XSD.length) : "";
  }
  function isNumeric(term) { return !!term && NUMERIC.indexOf(dtype(term)) >= 0; }
  function isDate(term) { return !!term && DATES.indexOf(dtype(term)) >= 0; }
  function isIri(term) { return !!term && term.type === "uri"; }

  /* The label columns of ?x: ?xLabel and its kin (?xLabelZh, ?xLabel_en, ?xAltLabel...). */
  function labelVars(vars, v) {
    return vars.filter(function (w) {
      return w !== v && w.indexOf(v) === 0 && /^(Alt)?Label/.test(w.slice(v.length));
    });
  }
  /* Columns shown: a ?x with label columns shows its labels (linked); they are not repeated. */
  function columns(vars) {
    return vars.filter(function (w) {
      return !vars.some(function (v) { return labelVars(vars, v).indexOf(w) >= 0; });
    });
  }
  /* For each IRI of an IRI column, every distinct label the answer gives it, in any row and
     any of its label columns: {column: {iri: [{value, lang}]}}. The row's own label comes first
     in its cell (see labelsOfCell). */
  function labelIndex(vars, rows) {
    var index = {};
    vars.forEach(function (v) {
      var kin = labelVars(vars, v);
      if (!kin.length) return;
      var byIri = index[v] = {};
      rows.forEach(function (r) {
        if (!r[v]) return;
        var list = byIri[r[v].value] || (byIri[r[v].value] = []);
        kin.forEach(function (w) {
          var t = r[w];
          if (t && !list.some(function (l) { return l.value === t.value && l.lang === (t["xml:lang"] || ""); })) {
            list.push({ value: t.value, lang: t["xml:lang"] || "" });
          }
        });
      });
    });
    return index;
  }
  var labelsNow = {};  // the label index of the answer being drawn
  function labelsOfCell(row, v) {
    var all = (labelsNow[v] && row[v] && labelsNow[v][row[v].value]) || [];
    var own = labelVars(Object.keys(row), v).map(function (w) { return row[w].value; })[0];
    return all.slice().sort(function (a, b) { return (b.value === own) - (a.value === own); });
  }
  function cellText(row, v) {
    var labels = labelsOfCell(row, v);
    if (labels.length) return labels.map(function (l) { return l.value; }).join(" · ");
    return row[v] ? row[v].value : "";
  }
  function sortKey(row, v) {
    var t = row[v];
    if (isNumeric(t)) return parseFloat(t.value);
    return cellText(row, v).toLowerCase();
  }
  /* Where an IRI from the data may link (as server/security.py's safe_href): the entity page of
     one of the project's IRIs, an http(s) or mailto IRI as it is, else null. */
  function safeHref(iri) {
    if (iri.indexOf(BASE) === 0) {
      var rest = iri.slice(BASE.length);
      if (!/^[\t\n\r]*[\/\\]/.test(rest)) return "/" + rest;  // "//host" is another site
    }
    return /^(https?|mailto):/i.test(iri) ? iri : null;
  }
  function cell(row, v) {
    var td = el("td");
    var term = row[v];
    if (!term) return td;
    if (isIri(term)) {
      var href = safeHref(term.value);
      // an IRI that is no http(s) or mailto address (javascript:, data:...) is shown as text
      var labels = labelsOfCell(row, v);
      var a = el(href ? "a" : "span", { "data-iri": term.value }, labels.length ? labels[0].value : term.value);
      if (href) a.setAttribute("href", href);
      if (href && term.value.indexOf(BASE) !== 0) a.setAttribute("rel", "noopener nofollow");
      if (labels.length && labels[0].lang) a.setAttribute("lang", labels[0].lang);
      td.appendChild(a);
      labels.slice(1).forEach(function (l) {
        var other = el("span", { class: "hr-label" }, l.value);
        if (l.lang) other.setAttribute("lang", l.lang);
        td.appendChild(other);
      });
    } else {
      td.textContent = cellText(row, v);
      if (isNumeric(term)) td.className = "num";
    }
    return td;
  }

  function tableView(box, vars, rows) {
    var cols = columns(vars);
    var state = { sort: null, desc: false, filter: "", page: 0 };
    var tools = el("div", { class: "hr-tools" });
    var filter = el("input", { type: "search", placeholder: word("Filter rows"), class: "hr-filter", "aria-label": word("Filter rows") });
    var info = el("span", { class: "hr-info" });
    var prev = el("button", { type: "button", class: "hr-prev" }, word("Previous"));
    var next = el("button", { type: "button", class: "hr-next" }, word("Next"));
    tools.append(filter, prev, info, next);
    var wrap = el("div", { class: "hr-table-wrap" });
    var table = el("table", { class: "hr-table" });
    var thead = el("thead");
    var tr = el("tr");
    cols.forEach(function (v) {
      var th = el("th", { "data-var": v, title: "?" + v + " (click to sort)" }, readableHeader(v));
      th.addEventListener("click", function () {
        state.desc = state.sort === v ? !state.desc : false;
        state.sort = v;
        state.page = 0;
        draw();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var tbody = el("tbody");
    table.append(thead, tbody);
    wrap.appendChild(table);
    box.append(tools, wrap);
    filter.addEventListener("input", function () { state.filter = filter.value.toLowerCase(); state.page = 0; draw(); });
    prev.addEventListener("click", function () { state.page -= 1; draw(); });
    next.addEventListener("click", function () { state.page += 1; draw(); });

    function draw() {
      var shown = rows.filter(function (row) {
        if (!state.filter) return true;
        return cols.some(function (v) { return cellText(row, v).toLowerCase().indexOf(state.filter) >= 0; });
      });
      if (state.sort) {
        var v = state.sort;
        shown = shown.slice().sort(function (a, b) {
          var x = sortKey(a, v), y = sortKey(b, v);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return state.desc ? -c : c;
        });
      }
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      state.page = Math.min(Math.max(0, state.page), pages - 1);
      tbody.textContent = "";
      shown.slice(state.page * PAGE, state.page * PAGE + PAGE).forEach(function (row) {
        var r = el("tr");
        cols.forEach(function (v) { r.appendChild(cell(row, v)); });
        tbody.appendChild(r);
      });
      thead.querySelectorAll("th").forEach(function (th) {
        var v = th.getAttribute("data-var");
        th.setAttribute("aria-sort", v === state.sort ? (state.desc ? "descending" : "ascending") : "none");
      });
      info.textContent = word("{rows} rows, page {page} of {pages}", { rows: shown.length, page: state.page + 1, pages: pages });
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    draw();
  }

  var DOWNLOADS = {
    solutions: [["CSV", "csv", "csv"], ["TSV", "tsv", "tsv"], ["JSON", "json", "json"], ["XLSX", "xlsx", "xlsx"]],
    graph: [["Turtle", "turtle", "ttl"], ["JSON-LD", "jsonld", "jsonld"]]
  };
  function downloads(root, kind, options) {
    if (!options || !options.endpoint || !options.query) return;
    var box = el("div", { class: "hr-downloads" }, word("Download") + ": ");
    DOWNLOADS[kind].forEach(function (d) {
      var href = options.endpoint + "?format=" + d[1] + "&query=" + encodeURIComponent(options.query);
      box.appendChild(el("a", { href: href, download: "answer." + d[2], "data-format": d[1] }, d[0]));
      box.appendChild(document.createTextNode(" "));
    });
    root.appendChild(box);
  }

  function render(container, answer, options) {
    // the same answer drawn again (with labels) stays in the view the reader chose
    var chosen = options && options.keepView && container.querySelector(".hr-views [aria-selected=true]");
    var keep = chosen ? chosen.getAttribute("data-view") : null;
    container.textContent = "";
    var root = el("div", { class: "habitat-results" });
    container.appendChild(root);
    var bar = el("div", { class: "hr-views", role: "tablist" });
    var body = el("div", { class: "hr-body" });
    root.append(bar, body);
    var views = [];
    var graph = !!answer && (typeof answer.turtle === "string" || typeof answer.ntriples === "string");
    downloads(root, graph ? "graph" : "solutions", options);
    if (answer && typeof answer.boolean === "boolean") {
      body.appendChild(el("p", { class: "hr-ask" }, word(answer.boolean ? "Yes (true)" : "No (false)")));
      return;
    }
    if (graph) {
      if (!HabitatResults.graphViews) {
        views.push(["Turtle", function (b) { b.appendChild(el("pre", { class: "hr-turtle" }, answer.turtle || answer.ntriples)); }]);
      } else {
        views = HabitatResults.graphViews(answer, options || {});
      }
    } else {
      var vars = (answer.head && answer.head.vars) || [];
      var rows = (answer.results && answer.results.bindings) || [];
      labelsNow = labelIndex(vars, rows);
      views.push(["Table", function (b) { tableView(b, vars, rows); }]);
      if (rows.length) {
        HabitatResults.views.slice().sort(function (x, y) { return x.order - y.order; }).forEach(function (view) {
          if (view.offers(vars, rows)) views.push([view.name, function (b) { view.draw(b, vars, rows); }]);
        });
      }
    }
    views.forEach(function (view, i) {
      var btn = el("button", { type: "button", role: "tab", "data-view": view[0].toLowerCase().replace(/ /g, "-") }, word(view[0]));
      btn.addEventListener("click", function () { show(i); });
      bar.appendChild(btn);
    });
    function show(i) {
      body.textContent = "";
      bar.querySelectorAll("button").forEach(function (b, j) { b.setAttribute("aria-selected", String(i === j)); });
      views[i][1](body);
    }
    var kept = views.map(function (view) { return view[0].toLowerCase().replace(/ /g, "-"); }).indexOf(keep);
    show(Math.max(0, kept));
  }

  /* What the views in results-*.js share. */
  var HabitatResults = window.HabitatResults = {
    render: render, readableHeader: readableHeader, views: [], graphViews: null,
    util: { word: word, el: el, svgEl: svgEl, cellText: cellText, columns: columns, labelVars: labelVars, isNumeric: isNumeric,
            isDate: isDate, isIri: isIri, dtype: dtype, safeHref: safeHref, BASE: BASE }
  };
})();
