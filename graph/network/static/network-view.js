/* habitat-kg: an interactive network view drawn with Cytoscape.js (shipped beside this file).
 *
 * HabitatNetwork.draw(root, payload, options) draws payload.elements (nodes with their preset
 * positions, computed by habitat_kg.graph.network.layout) inside root, which holds the parts the page
 * provides: [data-part=canvas], [data-part=details], [data-part=legend], and optionally
 * [data-part=colour] (a <select> of "category"/"community") and [data-part=search] (an <input>).
 * options.neighbourhoodUrl, when given, is the URL a node's IRI is appended to (encoded) to show
 * its neighbourhood. The drawn network is kept as window.habitatNetwork for the page and tests.
 */
(function () {
  "use strict";
  // The page's words (server/static/words.js); the offline file has none and stays in English.
  var words = window.HabitatWords;
  var T = words ? words.t : function (text) {
    var values = arguments;
    return text.replace(/\{(\d+)\}/g, function (whole, n) { return String(values[+n + 1]); });
  };
  var chinese = !!words && words.lang() === "zh";

  function part(root, name) {
    return root.querySelector('[data-part="' + name + '"]');
  }

  function element(tag, attributes, text) {
    var made = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { made.setAttribute(key, attributes[key]); });
    if (text !== undefined && text !== null) { made.textContent = String(text); }
    return made;
  }

  function colourOf(payload, mode, data) {
    if (mode === "community") {
      var palette = payload.communityColours;
      var number = Math.max(1, data.community || 1);
      return palette[(number - 1) % palette.length];
    }
    var known = payload.categoryColours[data.category] || payload.categoryColours.other;
    return known[0];
  }

  function labelOf(data) {
    if (data.display) { return data.display; }
    var zh = data.zh ? "\n" + data.zh : "";
    return (data.short || data.label || data.id) + zh;
  }

  function styles(payload, state) {
    var heaviest = 1;
    payload.elements.edges.forEach(function (edge) { heaviest = Math.max(heaviest, edge.data.weight || 1); });
    return [
      { selector: "node", style: {
        "background-color": function (node) { return colourOf(payload, state.colour, node.data()); },
        "width": function (node) { return 10 + 17 * node.degree(false) / state.maxDegree; },
        "height": function (node) { return 10 + 17 * node.degree(false) / state.maxDegree; },
        "label": function (node) { return labelOf(node.data()); },
        "font-size": 9.5, "color": "#1d2733", "text-wrap": "wrap", "text-max-width": 220,
        "text-valign": "bottom", "text-margin-y": 2, "border-width": 1.2, "border-color": "#ffffff",
        "text-outline-color": "#ffffff", "text-outline-width": 1.5,
      } },
      { selector: "node.label-left", style: {
        "text-halign": "left", "text-valign": "center", "text-margin-x": -4, "text-margin-y": 0,
        "text-justification": "right" } },
      { selector: "node.label-right", style: {
        "text-halign": "right", "text-valign": "center", "text-margin-x": 4, "text-margin-y": 0,
        "text-justification": "left" } },
      { selector: "edge", style: {
        "width": function (edge) { return 0.8 + 3 * ((edge.data("weight") || 1) - 1) / Math.max(heaviest - 1, 1); },
        "line-color": "#8a99a8", "opacity": 0.6, "curve-style": "bezier",
      } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "node.found", style: { "border-color": "#b3261e", "border-width": 4 } },
      { selector: "node:selected", style: { "border-color": "#111111", "border-width": 3.5 } },
      { selector: "edge:selected", style: { "line-color": "#07517f", "opacity": 1 } },
      { selector: "node.focus", style: { "border-color": "#111111", "border-width": 4 } },
      // a label that would cover another is left out until the node is pointed at or found
      { selector: "node.quiet", style: { "label": "" } },
      { selector: "node.quiet.near, node.quiet.found, node.quiet:selected", style: {
        "label": function (node) { return labelOf(node.data()); }, "z-index": 20,
        "text-background-color": "#ffffff", "text-background-opacity": 0.9 } },
    ];
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  /* Show the labels that fit without covering one another at this zoom: the best-connected
     nodes first; the others are left out (class "quiet") and shown on pointing or search. */
  function declutter(cy) {
    cy.batch(function () { cy.nodes().removeClass("quiet"); });
    var shown = [];
    var quiet = [];
    var order = cy.nodes().toArray().sort(function (a, b) {
      return b.degree(false) - a.degree(false) || (a.id() < b.id() ? -1 : 1);
    });
    order.forEach(function (node) {
      var box = node.renderedBoundingBox({ includeLabels: true, includeEdges: false, includeOverlays: false });
      if (shown.some(function (other) { return overlaps(box, other); })) { quiet.push(node); }
      else { shown.push(box); }
    });
    cy.batch(function () { quiet.forEach(function (node) { node.addClass("quiet"); }); });
  }

  function showNode(root, node, options) {
    var data = node.data();
    var panel = part(root, "details");
    panel.replaceChildren();
    var first = chinese && data.zh ? data.zh : data.label;
    var other = chinese ? (data.zh ? data.label : "") : data.zh;
    var heading = element("h3", {}, first);
    if (other) { heading.appendChild(element("span", { "class": "zh" }, other)); }
    panel.appendChild(heading);
    var facts = element("dl", { "class": "facts" });
    var rows = [
      ["IRI", data.iri], ["type", T(data.type) + " (" + T(data.category) + ")"],
      ["links", node.degree(false)], ["activities and events", data.activity_count],
      ["community", data.community || "—"], ["country", data.country || "—"],
      ["resolutions", (data.resolution_labels || []).join("; ") || "—"],
    ];
    rows.forEach(function (row) {
      facts.appendChild(element("dt", {}, T(row[0])));
      facts.appendChild(element("dd", row[0] === "IRI" ? { "class": "iri" } : {}, row[1]));
    });
    panel.appendChild(facts);
    if (options.neighbourhoodUrl) {
      var link = element("a", { href: options.neighbourhoodUrl + encodeURIComponent(data.iri), "data-part": "neighbourhood" }, T("Show its neighbourhood"));
      panel.appendChild(element("p")).appendChild(link);
    }
  }

  function showEdge(root, edge) {
    var data = edge.data();
    var panel = part(root, "details");
    panel.replaceChildren();
    panel.appendChild(element("h3", {}, edge.source().data("short") + " — " + edge.target().data("short")));
    var facts = element("dl", { "class": "facts" });
    [["relation", data.relation], ["weight", data.weight],
     ["first", data.first || "—"], ["last", data.last || "—"]].forEach(function (row) {
      facts.appendChild(element("dt", {}, T(row[0])));
      facts.appendChild(element("dd", {}, row[1]));
    });
    panel.appendChild(facts);
    panel.appendChild(element("p", { "class": "muted" }, T("Activities and events that make this link:")));
    var list = element("ul", { "class": "iri" });
    (data.activities || []).forEach(function (iri) { list.appendChild(element("li", {}, iri)); });
    panel.appendChild(list);
  }

  function legend(root, payload, cy, mode) {
    var box = part(root, "legend");
    if (!box) { return; }
    box.replaceChildren();
    var entries = [];
    if (mode === "community") {
      var numbers = {};
      cy.nodes().forEach(function (n) { numbers[n.data("community") || 1] = true; });
      Object.keys(numbers).map(Number).sort(function (a, b) { return a - b; }).forEach(function (n) {
        entries.push([colourOf(payload, "community", { community: n }), T("community {0}", n)]);
      });
    } else {
      var present = {};
      cy.nodes().forEach(function (n) { present[n.data("category")] = true; });
      Object.keys(payload.categoryColours).forEach(function (category) {
        var entry = payload.categoryColours[category];
        if (present[category]) { entries.push([entry[0], T(entry[1])]); }
      });
    }
    entries.forEach(function (entry) {
      var item = element("span", { "class": "legend-item" });
      var swatch = element("span", { "class": "swatch" });
      swatch.style.background = entry[0];  // through the CSSOM: a style attribute breaks the CSP
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry[1]));
      box.appendChild(item);
    });
  }

  /* As tall as the network needs to be drawn at the width of the page, up to a limit. */
  function fitHeight(canvas, payload) {
    var xs = [], ys = [];
    payload.elements.nodes.forEach(function (n) { xs.push(n.position.x); ys.push(n.position.y); });
    if (!xs.length) { return; }
    var width = Math.max.apply(null, xs) - Math.min.apply(null, xs) + 260;
    var height = Math.max.apply(null, ys) - Math.min.apply(null, ys) + 120;
    var zoom = Math.min(1, canvas.clientWidth / width);
    canvas.style.height = Math.round(Math.max(420, Math.min(1400, height * zoom))) + "px";
  }

  function draw(root, payload, options) {
    options = options || {};
    var state = { colour: options.colour || "category", maxDegree: 1 };
    fitHeight(part(root, "canvas"), payload);
    var degree = {};
    payload.elements.edges.forEach(function (edge) {
      [edge.data.source, edge.data.target].forEach(function (end) {
        degree[end] = (degree[end] || 0) + 1;
        state.maxDegree = Math.max(state.maxDegree, degree[end]);
      });
    });
    // styled from the start, so that fitting the view counts the labels in
    var cy = cytoscape({
      container: part(root, "canvas"),
      elements: payload.elements,
      style: styles(payload, state),
      layout: { name: "preset", fit: true, padding: 20 },
      minZoom: 0.1, maxZoom: 4, boxSelectionEnabled: false,
    });
    cy.fit(undefined, 20);
    declutter(cy);
    var pending = null;
    cy.on("zoom", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { declutter(cy); }, 150);
    });
    if (payload.focus) { cy.getElementById(payload.focus).addClass("focus"); }
    cy.on("tap", "node", function (event) { showNode(root, event.target, options); });
    cy.on("tap", "edge", function (event) { showEdge(root, event.target); });
    cy.on("mouseover", "node", function (event) {
      var near = event.target.closedNeighborhood();
      cy.elements().difference(near).addClass("faded");
      near.nodes().addClass("near");
    });
    cy.on("mouseout", "node", function () { cy.elements().removeClass("faded near"); });
    var colour = part(root, "colour");
    if (colour) {
      colour.value = state.colour;
      colour.addEventListener("change", function () {
        state.colour = colour.value;
        cy.style(styles(payload, state));
        legend(root, payload, cy, state.colour);
      });
    }
    var search = part(root, "search");
    if (search) {
      search.addEventListener("input", function () {
        var words = search.value.trim().toLowerCase();
        cy.nodes().removeClass("found");
        if (!words) { return; }
        var found = cy.nodes().filter(function (n) {
          var d = n.data();
          return [d.label, d.short, d.zh, d.iri].join(" ").toLowerCase().indexOf(words) >= 0;
        });
        found.addClass("found");
        if (found.length) { cy.animate({ fit: { eles: found.closedNeighborhood(), padding: 60 } }, { duration: 300 }); }
      });
    }
    legend(root, payload, cy, state.colour);
    root.setAttribute("data-nodes", String(cy.nodes().length));
    root.setAttribute("data-edges", String(cy.edges().length));
    window.habitatNetwork = { cy: cy, payload: payload, declutter: function () { declutter(cy); } };
    return cy;
  }

  window.HabitatNetwork = { draw: draw };
})();
