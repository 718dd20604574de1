/* Result views for SPARQL answers (issue 17, point 4).
 *
 * Contract: window.HabitatResults.render(container, answer)
 *   answer is one of
 *     - the parsed SPARQL 1.1 JSON results object of a SELECT ({head:{vars}, results:{bindings}})
 *       or of an ASK ({head:{}, boolean:true|false});
 *     - {"turtle": "<text>"} for CONSTRUCT/DESCRIBE (shown as text and, when cytoscape is
 *       loaded, as a network of its simple triples).
 *   and an optional third argument, options = {endpoint: "/sparql", query: "<full query text,
 *   prefixes included>"}: when given, download links are offered (CSV, TSV, JSON, XLSX for
 *   SELECT/ASK; Turtle and JSON-LD for CONSTRUCT/DESCRIBE), each a GET of the endpoint with
 *   format=..., which the endpoint answers for that query form.
 *   The views offered are chosen from the columns, as the Wikidata Query Service does:
 *   table always; bar chart when there is a label column and a numeric column; timeline when a
 *   column holds dates; network when two columns hold IRIs.
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

  /* "roleLabel" -> "Role", "startDate" -> "Start date", "org_name" -> "Org name". */
  function readableHeader(name) {
    var words = name.replace(/Label$/, "").replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  function dtype(term) {
    return term && term.datatype && term.datatype.indexOf(XSD) === 0 ? term.datatype.slice(XSD.length) : "";
  }
  function isNumeric(term) { return !!term && NUMERIC.indexOf(dtype(term)) >= 0; }
  function isDate(term) { return !!term && DATES.indexOf(dtype(term)) >= 0; }
  function isIri(term) { return !!term && term.type === "uri"; }

  /* Columns shown: a ?x with a ?xLabel shows the label (linked), and ?xLabel is not repeated. */
  function columns(vars) {
    return vars.filter(function (v) {
      return !(/Label$/.test(v) && vars.indexOf(v.replace(/Label$/, "")) >= 0);
    });
  }
  function cellText(row, v) {
    var label = row[v + "Label"];
    if (label) return label.value;
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
      var a = el(href ? "a" : "span", { "data-iri": term.value }, cellText(row, v));
      if (href) a.setAttribute("href", href);
      if (href && term.value.indexOf(BASE) !== 0) a.setAttribute("rel", "noopener nofollow");
      td.appendChild(a);
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
    var filter = el("input", { type: "search", placeholder: "Filter rows", class: "hr-filter", "aria-label": "Filter rows" });
    var info = el("span", { class: "hr-info" });
    var prev = el("button", { type: "button", class: "hr-prev" }, "Previous");
    var next = el("button", { type: "button", class: "hr-next" }, "Next");
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
      info.textContent = shown.length + " rows, page " + (state.page + 1) + " of " + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    draw();
  }

  function chartView(box, vars, rows) {
    var num = vars.find(function (v) { return rows.some(function (r) { return isNumeric(r[v]); }); });
    var label = vars.find(function (v) { return v !== num && !rows.some(function (r) { return isNumeric(r[v]); }); });
    var data = rows.filter(function (r) { return isNumeric(r[num]); }).slice(0, 60);
    var max = Math.max.apply(null, data.map(function (r) { return parseFloat(r[num].value); }).concat([1]));
    var barH = 22, left = 260, width = 760;
    var svg = svgEl("svg", { class: "hr-chart", width: width, height: data.length * barH + 30, role: "img" });
    svg.appendChild(svgEl("title", {}, readableHeader(num) + " by " + readableHeader(label)));
    data.forEach(function (r, i) {
      var value = parseFloat(r[num].value);
      var y = i * barH + 4;
      svg.appendChild(svgEl("text", { x: left - 6, y: y + 14, "text-anchor": "end", class: "hr-axis" }, cellText(r, label).slice(0, 40)));
      svg.appendChild(svgEl("rect", { x: left, y: y, height: barH - 6, width: Math.max(1, (value / max) * (width - left - 60)), class: "hr-bar" }));
      svg.appendChild(svgEl("text", { x: left + (value / max) * (width - left - 60) + 4, y: y + 14, class: "hr-value" }, r[num].value));
    });
    box.appendChild(svg);
  }

  function toTime(value) {
    var m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
    return m ? Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1) : NaN;
  }
  function timelineView(box, vars, rows) {
    var dateVars = vars.filter(function (v) { return rows.some(function (r) { return isDate(r[v]); }); });
    var start = dateVars.find(function (v) { return /start|from|begin/i.test(v); }) || dateVars[0];
    var end = dateVars.find(function (v) { return v !== start && /end|until|to$/i.test(v); });
    var label = vars.find(function (v) { return dateVars.indexOf(v) < 0 && !/Label$/.test(v); }) || start;
    var items = rows.filter(function (r) { return isDate(r[start]); }).map(function (r) {
      var s = toTime(r[start].value), e = end && isDate(r[end]) ? toTime(r[end].value) : s;
      return { s: s, e: e, text: cellText(r, label), when: r[start].value + (end && r[end] ? " – " + r[end].value : "") };
    }).filter(function (it) { return !isNaN(it.s); }).sort(function (a, b) { return a.s - b.s; }).slice(0, 200);
    var lo = Math.min.apply(null, items.map(function (i) { return i.s; }));
    var hi = Math.max.apply(null, items.map(function (i) { return i.e; }));
    if (hi === lo) hi = lo + 86400000 * 365;
    var width = 900, left = 240, rowH = 20;
    var svg = svgEl("svg", { class: "hr-timeline", width: width, height: items.length * rowH + 40, role: "img" });
    var x = function (t) { return left + ((t - lo) / (hi - lo)) * (width - left - 20); };
    var y0 = new Date(lo).getUTCFullYear(), y1 = new Date(hi).getUTCFullYear();
    var step = Math.max(1, Math.ceil((y1 - y0) / 10));
    for (var y = y0; y <= y1; y += step) {
      var xt = x(Date.UTC(y, 0, 1));
      svg.appendChild(svgEl("line", { x1: xt, x2: xt, y1: 0, y2: items.length * rowH + 20, class: "hr-grid" }));
      svg.appendChild(svgEl("text", { x: xt + 2, y: items.length * rowH + 34, class: "hr-axis" }, y));
    }
    items.forEach(function (it, i) {
      var yy = i * rowH + 4;
      svg.appendChild(svgEl("text", { x: left - 6, y: yy + 12, "text-anchor": "end", class: "hr-axis" }, it.text.slice(0, 36)));
      var mark = it.e > it.s
        ? svgEl("rect", { x: x(it.s), y: yy + 2, width: Math.max(3, x(it.e) - x(it.s)), height: rowH - 8, class: "hr-range" })
        : svgEl("circle", { cx: x(it.s), cy: yy + 8, r: 5, class: "hr-point" });
      mark.appendChild(svgEl("title", {}, it.text + " (" + it.when + ")"));
      svg.appendChild(mark);
    });
    box.appendChild(svg);
  }

  function networkView(box, edges) {
    var holder = el("div", { class: "hr-network" });
    box.appendChild(holder);
    var nodes = {};
    var elements = [];
    edges.slice(0, 500).forEach(function (e, i) {
      [[e.s, e.sl], [e.o, e.ol]].forEach(function (n) {
        if (!nodes[n[0]]) { nodes[n[0]] = true; elements.push({ data: { id: n[0], label: n[1] } }); }
      });
      elements.push({ data: { id: "e" + i, source: e.s, target: e.o, label: e.p || "" } });
    });
    window.cytoscape({
      container: holder, elements: elements, layout: { name: "cose", animate: false },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#1f6feb", width: 12, height: 12 } },
        { selector: "edge", style: { width: 1, "line-color": "#999", "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#999" } }
      ]
    });
  }
  /* Map: countries (a column of ISO 3166-1 numeric codes, e.g. ?countryCode) filled, and places
     with a latitude and a longitude column drawn as points, on world-atlas shapes (offline). */
  function mapColumns(vars, rows) {
    var lat = vars.find(function (v) { return /^lat/i.test(v) || /Lat$/.test(v); });
    var lon = vars.find(function (v) { return /^lon/i.test(v) || /Long?$/.test(v); });
    var code = vars.find(function (v) {
      return /code$/i.test(v) && rows.some(function (r) { return r[v] && /^\d{3}$/.test(r[v].value); });
    });
    return { lat: lat, lon: lon, code: code, ok: !!((lat && lon) || code) };
  }
  function mapView(box, vars, rows) {
    var cols = mapColumns(vars, rows);
    var W = 960, H = 480;
    var px = function (lon, lat) { return [((lon + 180) / 360) * W, ((90 - lat) / 180) * H]; };
    var svg = svgEl("svg", { class: "hr-map", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img" });
    var marked = {};
    if (cols.code) rows.forEach(function (r) { if (r[cols.code]) marked[r[cols.code].value] = r; });
    var atlas = window.HabitatWorldAtlas;
    window.topojson.feature(atlas, atlas.objects.countries).features.forEach(function (f) {
      if (!f.geometry) return;
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      var d = polys.map(function (rings) {
        return rings.map(function (ring) {
          return "M" + ring.map(function (c) { var p = px(c[0], c[1]); return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join("L") + "Z";
        }).join("");
      }).join("");
      var row = marked[String(f.id)];
      var path = svgEl("path", { d: d, class: row ? "hr-country hr-marked" : "hr-country", "data-code": String(f.id) });
      path.appendChild(svgEl("title", {}, row ? cellText(row, vars.find(function (v) { return v !== cols.code; }) || cols.code) : (f.properties && f.properties.name) || ""));
      svg.appendChild(path);
    });
    if (cols.lat && cols.lon) {
      var label = vars.find(function (v) { return /Label$/.test(v); }) || vars[0];
      rows.forEach(function (r) {
        if (!r[cols.lat] || !r[cols.lon]) return;
        var lat = parseFloat(r[cols.lat].value), lon = parseFloat(r[cols.lon].value);
        if (isNaN(lat) || isNaN(lon)) return;
        var p = px(lon, lat);
        var dot = svgEl("circle", { cx: p[0], cy: p[1], r: 4, class: "hr-place" });
        dot.appendChild(svgEl("title", {}, r[label] ? r[label].value : ""));
        svg.appendChild(dot);
        svg.appendChild(svgEl("text", { x: p[0] + 6, y: p[1] + 4, class: "hr-axis" }, r[label] ? r[label].value : ""));
      });
    }
    box.appendChild(svg);
  }

  function shortName(iri) { return iri.replace(/^.*[\/#]/, ""); }
  function selectEdges(vars, rows) {
    var iris = vars.filter(function (v) { return rows.some(function (r) { return isIri(r[v]); }); });
    if (iris.length < 2) return null;
    return rows.filter(function (r) { return isIri(r[iris[0]]) && isIri(r[iris[1]]); }).map(function (r) {
      return { s: r[iris[0]].value, sl: cellText(r, iris[0]) === r[iris[0]].value ? shortName(r[iris[0]].value) : cellText(r, iris[0]),
               o: r[iris[1]].value, ol: cellText(r, iris[1]) === r[iris[1]].value ? shortName(r[iris[1]].value) : cellText(r, iris[1]) };
    });
  }
  /* Triples of the simple form "<s> <p> <o> ." or prefixed names, enough for a network sketch. */
  function turtleEdges(text) {
    var out = [];
    var re = /(<[^>\s]+>|[\w-]*:[\w\-\/.%]*[\w\-\/%])\s+(<[^>\s]+>|[\w-]*:[\w\-\/.%]*[\w\-\/%]|a)\s+(<[^>\s]+>|[\w-]*:[\w\-\/.%]*[\w\-\/%])\s*[.;]/g;
    var m;
    while ((m = re.exec(text)) && out.length < 500) {
      if (/^@?prefix$/i.test(m[1])) continue;
      out.push({ s: m[1], sl: shortName(m[1].replace(/>$/, "")), p: shortName(m[2].replace(/>$/, "")), o: m[3], ol: shortName(m[3].replace(/>$/, "")) });
    }
    return out;
  }

  var DOWNLOADS = {
    solutions: [["CSV", "csv", "csv"], ["TSV", "tsv", "tsv"], ["JSON", "json", "json"], ["XLSX", "xlsx", "xlsx"]],
    graph: [["Turtle", "turtle", "ttl"], ["JSON-LD", "jsonld", "jsonld"]]
  };
  function downloads(root, kind, options) {
    if (!options || !options.endpoint || !options.query) return;
    var box = el("div", { class: "hr-downloads" }, "Download: ");
    DOWNLOADS[kind].forEach(function (d) {
      var href = options.endpoint + "?format=" + d[1] + "&query=" + encodeURIComponent(options.query);
      box.appendChild(el("a", { href: href, download: "answer." + d[2], "data-format": d[1] }, d[0]));
      box.appendChild(document.createTextNode(" "));
    });
    root.appendChild(box);
  }

  function render(container, answer, options) {
    container.textContent = "";
    var root = el("div", { class: "habitat-results" });
    container.appendChild(root);
    var bar = el("div", { class: "hr-views", role: "tablist" });
    var body = el("div", { class: "hr-body" });
    root.append(bar, body);
    var views = [];
    var graph = !!answer && typeof answer.turtle === "string";
    downloads(root, graph ? "graph" : "solutions", options);
    if (answer && typeof answer.boolean === "boolean") {
      body.appendChild(el("p", { class: "hr-ask" }, answer.boolean ? "Yes (true)" : "No (false)"));
      return;
    }
    if (answer && typeof answer.turtle === "string") {
      var edges = turtleEdges(answer.turtle);
      if (window.cytoscape && edges.length) views.push(["Network", function (b) { networkView(b, edges); }]);
      views.push(["Turtle", function (b) { b.appendChild(el("pre", { class: "hr-turtle" }, answer.turtle)); }]);
    } else {
      var vars = (answer.head && answer.head.vars) || [];
      var rows = (answer.results && answer.results.bindings) || [];
      views.push(["Table", function (b) { tableView(b, vars, rows); }]);
      if (rows.length) {
        var hasNum = vars.some(function (v) { return rows.some(function (r) { return isNumeric(r[v]); }); });
        var hasText = vars.some(function (v) { return !rows.some(function (r) { return isNumeric(r[v]); }); });
        if (hasNum && hasText) views.push(["Bar chart", function (b) { chartView(b, vars, rows); }]);
        if (vars.some(function (v) { return rows.some(function (r) { return isDate(r[v]); }); })) {
          views.push(["Timeline", function (b) { timelineView(b, vars, rows); }]);
        }
        if (window.topojson && window.HabitatWorldAtlas && mapColumns(vars, rows).ok) {
          views.push(["Map", function (b) { mapView(b, vars, rows); }]);
        }
        var links = selectEdges(vars, rows);
        if (window.cytoscape && links && links.length) views.push(["Network", function (b) { networkView(b, links); }]);
      }
    }
    views.forEach(function (view, i) {
      var btn = el("button", { type: "button", role: "tab", "data-view": view[0].toLowerCase().replace(/ /g, "-") }, view[0]);
      btn.addEventListener("click", function () { show(i); });
      bar.appendChild(btn);
    });
    function show(i) {
      body.textContent = "";
      bar.querySelectorAll("button").forEach(function (b, j) { b.setAttribute("aria-selected", String(i === j)); });
      views[i][1](body);
    }
    show(0);
  }

  window.HabitatResults = { render: render, readableHeader: readableHeader };
})();
