/* The network of the result views (see results.js for the contract), drawn with the vendored
 * cytoscape: links from the first two IRI columns of a SELECT answer, or the triples of a
 * CONSTRUCT/DESCRIBE answer, read from N-Triples (or Turtle) by the vendored N3.js parser.
 *
 * In a graph, resources are nodes and triples between resources are edges; a node is named by
 * its rdfs:label or skos:prefLabel in the answer (English first); literals, and rdf:type, are
 * the node's attributes, listed when the node is clicked, never nodes of their own.
 */
(function () {
  "use strict";
  var R = window.HabitatResults, u = R.util, el = u.el;
  var RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  var LABELS = ["http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"];
  var MAX_TRIPLES = 5000, MAX_EDGES = 500;
  var PREFIXES = {
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    skos: "http://www.w3.org/2004/02/skos/core#",
    xsd: "http://www.w3.org/2001/XMLSchema#"
  };

  function shortName(iri) { return iri.replace(/^.*[\/#]/, "") || iri; }

  function networkView(box, net) {
    var holder = el("div", { class: "hr-network" });
    var details = el("dl", { class: "hr-node", "aria-live": "polite" });
    box.append(holder, details);
    var elements = [];
    Object.keys(net.nodes).forEach(function (id) {
      var n = net.nodes[id];
      elements.push({ data: { id: id, label: n.label, attributes: n.attributes || [] } });
    });
    net.edges.slice(0, MAX_EDGES).forEach(function (e, i) {
      elements.push({ data: { id: "e" + i, source: e.s, target: e.o, label: e.p || "" } });
    });
    var few = net.edges.length <= 30;
    var cy = window.cytoscape({
      container: holder, elements: elements,
      layout: { name: "cose", animate: false, nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return 60; } },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#1f6feb", width: 12, height: 12, "text-wrap": "ellipsis", "text-max-width": 160 } },
        { selector: "edge", style: { width: 1, "line-color": "#999", "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#999" } },
        // the links' names, where there are few enough to read
        { selector: few ? "edge" : "edge:selected", style: { label: "data(label)", "font-size": 8, color: "#666" } }
      ]
    });
    cy.on("tap", "node", function (event) { describe(details, event.target.id(), event.target.data()); });
  }
  /* The clicked node's name, IRI and attributes, as text. */
  function describe(details, id, data) {
    details.textContent = "";
    details.append(el("dt", {}, data.label));
    var href = u.safeHref(id);
    var iri = el("dd", { class: "hr-node-iri" });
    var link = el(href ? "a" : "span", {}, id);
    if (href) link.setAttribute("href", href);
    iri.appendChild(link);
    details.appendChild(iri);
    data.attributes.forEach(function (a) {
      var dd = el("dd", { class: "hr-attribute" });
      dd.append(el("span", { class: "hr-attribute-name" }, a.name + ": "), el("span", a.lang ? { lang: a.lang } : {}, a.value));
      details.appendChild(dd);
    });
  }

  /* Links of a SELECT answer: its first two IRI columns, named by their labels. */
  function selectNetwork(vars, rows) {
    var iris = vars.filter(function (v) { return rows.some(function (r) { return u.isIri(r[v]); }); });
    if (iris.length < 2) return null;
    var net = { nodes: {}, edges: [] };
    rows.forEach(function (r) {
      if (!u.isIri(r[iris[0]]) || !u.isIri(r[iris[1]])) return;
      [iris[0], iris[1]].forEach(function (v) {
        var id = r[v].value, text = u.cellText(r, v);
        if (!net.nodes[id]) net.nodes[id] = { label: text === id ? shortName(id) : text };
      });
      net.edges.push({ s: r[iris[0]].value, o: r[iris[1]].value });
    });
    return net.edges.length ? net : null;
  }

  /* The quads of a graph answer, read by N3.js; throws on text that is not N-Triples/Turtle. */
  function quadsOf(answer) {
    var format = typeof answer.ntriples === "string" ? "N-Triples" : "Turtle";
    var parser = new window.N3.Parser({ format: format });
    return parser.parse(typeof answer.ntriples === "string" ? answer.ntriples : answer.turtle).slice(0, MAX_TRIPLES);
  }
  function graphNetwork(quads) {
    var nodes = {}, edges = [], labels = {};
    function node(term) {
      return nodes[term.value] || (nodes[term.value] = { label: "", attributes: [] });
    }
    quads.forEach(function (q) {
      var s = node(q.subject), p = q.predicate.value;
      if (q.object.termType === "Literal") {
        if (LABELS.indexOf(p) >= 0) (labels[q.subject.value] = labels[q.subject.value] || []).push(q.object);
        s.attributes.push({ name: shortName(p), value: q.object.value, lang: q.object.language || "" });
      } else if (p === RDF_TYPE) {
        s.attributes.push({ name: "type", value: shortName(q.object.value), lang: "" });
      } else {
        node(q.object);
        edges.push({ s: q.subject.value, o: q.object.value, p: p });
      }
    });
    Object.keys(nodes).forEach(function (id) {
      var names = (labels[id] || []).slice().sort(function (a, b) { return (b.language === "en") - (a.language === "en"); });
      nodes[id].label = names.length ? names[0].value : shortName(id);
    });
    var linked = {};
    edges.forEach(function (e) {
      linked[e.s] = linked[e.o] = true;
      var named = (labels[e.p] || []).slice().sort(function (a, b) { return (b.language === "en") - (a.language === "en"); });
      e.p = named.length ? named[0].value : shortName(e.p);
    });
    // a property the answer only names (its label names the edges) is no node of its own
    quads.forEach(function (q) { if (!linked[q.predicate.value]) delete nodes[q.predicate.value]; });
    return { nodes: nodes, edges: edges };
  }
  /* The graph written as Turtle (by N3.js) with the page's prefixes, for people to read. */
  function turtleOf(quads, options) {
    var text = "";
    var writer = new window.N3.Writer({ prefixes: Object.assign({}, PREFIXES, options.prefixes || {}) });
    writer.addQuads(quads);
    writer.end(function (error, result) { text = error ? "" : result; });
    return text;
  }

  /* The views of a graph answer: [[name, draw(box)]]. */
  R.graphViews = function (answer, options) {
    var raw = typeof answer.ntriples === "string" ? answer.ntriples : answer.turtle;
    var quads;
    try {
      quads = quadsOf(answer);
    } catch (error) {
      return [["Text", function (b) {
        b.append(el("p", { class: "hr-error" }, u.word("The graph could not be read: {reason}", { reason: error.message })), el("pre", { class: "hr-turtle" }, raw));
      }]];
    }
    var views = [];
    var net = graphNetwork(quads);
    if (window.cytoscape && Object.keys(net.nodes).length) views.push(["Network", function (b) { networkView(b, net); }]);
    var turtle = typeof answer.turtle === "string" ? answer.turtle : turtleOf(quads, options);
    views.push(["Turtle", function (b) { b.appendChild(el("pre", { class: "hr-turtle" }, turtle)); }]);
    return views;
  };
  R.views.push({
    name: "Network", order: 4,
    offers: function (vars, rows) { return !!window.cytoscape && !!selectNetwork(vars, rows); },
    draw: function (box, vars, rows) { networkView(box, selectNetwork(vars, rows)); }
  });
})();
