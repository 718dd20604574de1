/* The chart and the timeline of the result views (see results.js for the contract).
 *
 * Chart: y is the last column of numbers; x the first other shown column. When every x is
 * ordered (a number, a date, a year), the chart is a line over x in order and bars are offered
 * beside it; otherwise it is bars only, one per row, in the answer's order.
 * Timeline: a date column (a start) and, when there is one, an end column.
 */
(function () {
  "use strict";
  var R = window.HabitatResults, u = R.util, svgEl = u.svgEl, el = u.el;

  function toTime(value) {
    var m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
    return m ? Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1) : NaN;
  }
  var YEAR = /^-?\d{4}$/;
  function clipped(text, most) { return text.length > most ? text.slice(0, most - 1) + "…" : text; }

  /* The position of an x value on an ordered axis, or NaN when it has none. */
  function orderOf(term) {
    if (!term) return NaN;
    if (u.isDate(term) || (term.type !== "uri" && YEAR.test(term.value))) return toTime(term.value);
    if (u.isNumeric(term)) return parseFloat(term.value);
    return NaN;
  }
  function chartColumns(vars, rows) {
    var nums = vars.filter(function (v) { return rows.some(function (r) { return u.isNumeric(r[v]); }); });
    var y = nums[nums.length - 1];
    var x = u.columns(vars).find(function (v) { return v !== y; });
    if (!y || !x) return null;
    var data = rows.filter(function (r) { return u.isNumeric(r[y]) && r[x]; });
    var dated = data.every(function (r) { return u.isDate(r[x]) || YEAR.test(r[x].value); });
    var ordered = data.length > 1 && data.every(function (r) { return !isNaN(orderOf(r[x])); });
    return { x: x, y: y, data: data, ordered: ordered, dated: ordered && dated };
  }

  function barChart(box, c) {
    var data = c.data.slice(0, 60);
    if (c.ordered) data.sort(function (a, b) { return orderOf(a[c.x]) - orderOf(b[c.x]); });
    var max = Math.max.apply(null, data.map(function (r) { return parseFloat(r[c.y].value); }).concat([1]));
    var barH = 22, left = 260, width = 760, span = width - left - 60;
    var svg = svgEl("svg", { class: "hr-chart hr-bars", width: width, height: data.length * barH + 30, role: "img" });
    svg.appendChild(svgEl("title", {}, u.word("{y} by {x}", { y: R.readableHeader(c.y), x: R.readableHeader(c.x) })));
    data.forEach(function (r, i) {
      var value = parseFloat(r[c.y].value), y = i * barH + 4;
      svg.appendChild(svgEl("text", { x: left - 6, y: y + 14, "text-anchor": "end", class: "hr-axis" }, clipped(u.cellText(r, c.x), 40)));
      svg.appendChild(svgEl("rect", { x: left, y: y, height: barH - 6, width: Math.max(1, (value / max) * span), class: "hr-bar" }));
      svg.appendChild(svgEl("text", { x: left + (value / max) * span + 4, y: y + 14, class: "hr-value" }, r[c.y].value));
    });
    box.appendChild(svg);
  }

  /* About ``count`` round values (1, 2 or 5 times a power of ten apart) from lo to hi. */
  function ticks(lo, hi, count, whole) {
    var raw = (hi - lo) / count || 1, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * p; }).find(function (s) { return s >= raw; });
    if (whole) step = Math.max(1, Math.round(step));
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step / 1e6; t += step) out.push(t);
    return out;
  }
  function lineChart(box, c) {
    var points = c.data.map(function (r) { return { x: orderOf(r[c.x]), y: parseFloat(r[c.y].value), row: r }; })
      .sort(function (a, b) { return a.x - b.x; });
    var W = 760, H = 320, left = 60, right = 20, top = 20, bottom = 40;
    var xlo = points[0].x, xhi = points[points.length - 1].x;
    if (xhi === xlo) xhi = xlo + 1;
    var ylo = Math.min(0, Math.min.apply(null, points.map(function (p) { return p.y; })));
    var yhi = Math.max(1, Math.max.apply(null, points.map(function (p) { return p.y; })));
    var sx = function (v) { return left + ((v - xlo) / (xhi - xlo)) * (W - left - right); };
    var sy = function (v) { return top + (1 - (v - ylo) / (yhi - ylo)) * (H - top - bottom); };
    var svg = svgEl("svg", { class: "hr-chart hr-line-chart", width: W, height: H, role: "img" });
    svg.appendChild(svgEl("title", {}, u.word("{y} over {x}", { y: R.readableHeader(c.y), x: R.readableHeader(c.x) })));
    ticks(ylo, yhi, 5).forEach(function (t) {
      svg.appendChild(svgEl("line", { x1: left, x2: W - right, y1: sy(t), y2: sy(t), class: "hr-grid" }));
      svg.appendChild(svgEl("text", { x: left - 6, y: sy(t) + 4, "text-anchor": "end", class: "hr-axis" }, +t.toPrecision(6)));
    });
    if (c.dated) {
      var y0 = new Date(xlo).getUTCFullYear(), y1 = new Date(xhi).getUTCFullYear();
      ticks(y0, y1, 8, true).forEach(function (year) {
        var t = Date.UTC(year, 0, 1);
        if (t < xlo || t > xhi) return;
        svg.appendChild(svgEl("text", { x: sx(t), y: H - bottom + 18, "text-anchor": "middle", class: "hr-axis" }, year));
      });
    } else {
      ticks(xlo, xhi, 8).forEach(function (t) {
        svg.appendChild(svgEl("text", { x: sx(t), y: H - bottom + 18, "text-anchor": "middle", class: "hr-axis" }, +t.toPrecision(6)));
      });
    }
    svg.appendChild(svgEl("text", { x: (W + left) / 2, y: H - 4, "text-anchor": "middle", class: "hr-axis" }, R.readableHeader(c.x)));
    svg.appendChild(svgEl("polyline", { points: points.map(function (p) { return sx(p.x) + "," + sy(p.y); }).join(" "), class: "hr-line" }));
    points.forEach(function (p) {
      var dot = svgEl("circle", { cx: sx(p.x), cy: sy(p.y), r: 3.5, class: "hr-point" });
      dot.appendChild(svgEl("title", {}, u.cellText(p.row, c.x) + ": " + p.row[c.y].value));
      svg.appendChild(dot);
    });
    box.appendChild(svg);
  }

  function chartView(box, vars, rows) {
    var c = chartColumns(vars, rows);
    var plot = el("div", { class: "hr-plot" });
    if (c.ordered) {
      // both make sense: a line over the ordered x (first), or bars
      var kinds = el("div", { class: "hr-chart-kinds", role: "group", "aria-label": u.word("Chart kind") });
      [["Line", lineChart], ["Bars", barChart]].forEach(function (kind, i) {
        var b = el("button", { type: "button", "data-chart": kind[0].toLowerCase(), "aria-pressed": String(i === 0) }, u.word(kind[0]));
        b.addEventListener("click", function () {
          kinds.querySelectorAll("button").forEach(function (o) { o.setAttribute("aria-pressed", String(o === b)); });
          plot.textContent = "";
          kind[1](plot, c);
        });
        kinds.appendChild(b);
      });
      box.appendChild(kinds);
    }
    box.appendChild(plot);
    (c.ordered ? lineChart : barChart)(plot, c);
  }

  function timelineView(box, vars, rows) {
    var dateVars = vars.filter(function (v) { return rows.some(function (r) { return u.isDate(r[v]); }); });
    var start = dateVars.find(function (v) { return /start|from|begin/i.test(v); }) || dateVars[0];
    var end = dateVars.find(function (v) { return v !== start && /end|until|to$/i.test(v); });
    var label = u.columns(vars).find(function (v) { return dateVars.indexOf(v) < 0; }) || start;
    var items = rows.filter(function (r) { return u.isDate(r[start]); }).map(function (r) {
      var s = toTime(r[start].value), e = end && u.isDate(r[end]) ? toTime(r[end].value) : s;
      return { s: s, e: e, text: u.cellText(r, label), when: r[start].value + (end && r[end] ? " – " + r[end].value : "") };
    }).filter(function (it) { return !isNaN(it.s); }).sort(function (a, b) { return a.s - b.s; }).slice(0, 200);
    var lo = Math.min.apply(null, items.map(function (i) { return i.s; }));
    var hi = Math.max.apply(null, items.map(function (i) { return i.e; }));
    if (hi === lo) hi = lo + 86400000 * 365;
    var width = Math.max(500, Math.min(900, box.clientWidth || 900)), left = 240, rowH = 20;
    var svg = svgEl("svg", { class: "hr-timeline", width: width, height: items.length * rowH + 40, role: "img" });
    var x = function (t) { return left + ((t - lo) / (hi - lo)) * (width - left - 20); };
    var y0 = new Date(lo).getUTCFullYear(), y1 = new Date(hi).getUTCFullYear();
    var step = Math.max(1, Math.ceil((y1 - y0) / 10));
    for (var y = y0; y <= y1; y += step) {
      var xt = x(Date.UTC(y, 0, 1));
      if (xt < left) continue;
      svg.appendChild(svgEl("line", { x1: xt, x2: xt, y1: 0, y2: items.length * rowH + 20, class: "hr-grid" }));
      svg.appendChild(svgEl("text", { x: xt + 2, y: items.length * rowH + 34, class: "hr-axis" }, y));
    }
    items.forEach(function (it, i) {
      var yy = i * rowH + 4;
      var name = svgEl("text", { x: left - 6, y: yy + 12, "text-anchor": "end", class: "hr-axis" }, clipped(it.text, 36));
      name.appendChild(svgEl("title", {}, it.text));
      svg.appendChild(name);
      var mark = it.e > it.s
        ? svgEl("rect", { x: x(it.s), y: yy + 2, width: Math.max(3, x(it.e) - x(it.s)), height: rowH - 8, class: "hr-range" })
        : svgEl("circle", { cx: x(it.s), cy: yy + 8, r: 5, class: "hr-point" });
      mark.appendChild(svgEl("title", {}, it.text + " (" + it.when + ")"));
      svg.appendChild(mark);
    });
    box.appendChild(svg);
  }

  R.views.push(
    { name: "Chart", order: 1, offers: function (vars, rows) { return !!chartColumns(vars, rows); }, draw: chartView },
    {
      name: "Timeline", order: 2, draw: timelineView,
      offers: function (vars, rows) { return vars.some(function (v) { return rows.some(function (r) { return u.isDate(r[v]); }); }); }
    }
  );
})();
