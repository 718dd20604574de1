/* The map of the result views (see results.js for the contract): countries (a column of ISO
 * 3166-1 numeric codes, e.g. ?countryCode) filled, places with a latitude and a longitude
 * column drawn as points, and, when a row has two places (?lat ?long and ?lat2 ?long2, or
 * ?fromLat ?fromLong and ?toLat ?toLong), a line between them; on world-atlas's shapes shipped
 * with the project (no tile server), in an equirectangular projection.
 *
 * The antimeridian: a ring or a line is first made continuous (each longitude within 180 of
 * the one before, so Fiji's or Russia's rings and a Tokyo-Lima line go the short way round,
 * past 180), then drawn again 360 degrees to the other side when it leaves the map, which the
 * SVG clips. A ring around a pole (Antarctica) is closed along the pole's edge of the map.
 */
(function () {
  "use strict";
  var R = window.HabitatResults, u = R.util, svgEl = u.svgEl;
  var W = 960, H = 480;

  function px(lon, lat) { return [((lon + 180) / 360) * W, ((90 - lat) / 180) * H]; }

  /* The ring (or line) with each longitude moved by 360s to within 180 of the one before. */
  function continuous(points) {
    var out = [], prev = null;
    points.forEach(function (c) {
      var lon = c[0];
      if (prev !== null) {
        while (lon - prev > 180) lon -= 360;
        while (lon - prev < -180) lon += 360;
      }
      out.push([lon, c[1]]);
      prev = lon;
    });
    return out;
  }
  function closedRing(ring) {
    var out = continuous(ring);
    var first = out[0], last = out[out.length - 1];
    if (Math.abs(last[0] - first[0]) > 180) {
      // it goes once round the globe: close it along the edge of the map at its pole
      var mean = out.reduce(function (sum, c) { return sum + c[1]; }, 0) / out.length;
      var pole = mean < 0 ? -90 : 90;
      out.push([last[0], pole], [first[0], pole]);
    }
    return out;
  }
  /* Path data of the lines (closed when ``close``) with their copies 360 degrees away. */
  function pathData(lines, close) {
    var lo = Infinity, hi = -Infinity;
    lines.forEach(function (line) { line.forEach(function (c) { lo = Math.min(lo, c[0]); hi = Math.max(hi, c[0]); }); });
    var shifts = [0];
    if (lo < -180) shifts.push(360);
    if (hi > 180) shifts.push(-360);
    return shifts.map(function (shift) {
      return lines.map(function (line) {
        return "M" + line.map(function (c) {
          var p = px(c[0] + shift, c[1]);
          return p[0].toFixed(1) + "," + p[1].toFixed(1);
        }).join("L") + (close ? "Z" : "");
      }).join("");
    }).join("");
  }

  var LAT = /^(.*?)lat(itude)?(\d*)$/i;
  /* The pairs of coordinate columns: [{lat, lon, prefix}], ?lat with ?long (or ?lon,
     ?longitude), ?fromLat with ?fromLong, ?lat2 with ?long2... */
  function coordinatePairs(vars) {
    var pairs = [];
    vars.forEach(function (v) {
      var m = LAT.exec(v);
      if (!m) return;
      var lon = ["long", "lon", "longitude", "Long", "Lon", "Longitude", "LONG", "LON"].map(function (w) {
        return m[1] + w + m[3];
      }).find(function (w) { return vars.indexOf(w) >= 0; });
      if (lon) pairs.push({ lat: v, lon: lon, prefix: m[1] + m[3] });
    });
    return pairs;
  }
  function mapColumns(vars, rows) {
    var pairs = coordinatePairs(vars);
    var code = vars.find(function (v) {
      return /code$/i.test(v) && rows.some(function (r) { return r[v] && /^\d{3}$/.test(r[v].value); });
    });
    return { pairs: pairs, code: code, ok: !!(pairs.length || code) };
  }
  function place(row, pair) {
    if (!row[pair.lat] || !row[pair.lon]) return null;
    var lat = parseFloat(row[pair.lat].value), lon = parseFloat(row[pair.lon].value);
    return isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 ? null : [lon, lat];
  }
  /* The column naming the place of a pair: ?fromLabel for ?fromLat, else the i-th shown one. */
  function placeLabel(vars, pair, i) {
    var own = pair.prefix && vars.find(function (v) { return v.toLowerCase() === pair.prefix.toLowerCase() + "label"; });
    if (own) return own;
    var shown = u.columns(vars).filter(function (v) { return !LAT.test(v) && !/(lon|long|longitude)\d*$/i.test(v) && !/code$/i.test(v); });
    return shown[i] || shown[0] || vars[0];
  }

  function mapView(box, vars, rows) {
    var cols = mapColumns(vars, rows);
    var svg = svgEl("svg", { class: "hr-map", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img" });
    var marked = {};
    if (cols.code) rows.forEach(function (r) { if (r[cols.code]) marked[r[cols.code].value] = r; });
    var named = u.columns(vars).find(function (v) { return v !== cols.code; }) || cols.code;
    var atlas = window.HabitatWorldAtlas;
    window.topojson.feature(atlas, atlas.objects.countries).features.forEach(function (f) {
      if (!f.geometry) return;
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      var rings = [];
      polys.forEach(function (poly) { poly.forEach(function (ring) { rings.push(closedRing(ring)); }); });
      var row = marked[String(f.id)];
      var path = svgEl("path", { d: pathData(rings, true), class: row ? "hr-country hr-marked" : "hr-country", "data-code": String(f.id) });
      if (f.properties && f.properties.name) path.setAttribute("data-name", f.properties.name);
      path.appendChild(svgEl("title", {}, row ? u.cellText(row, named) : (f.properties && f.properties.name) || ""));
      svg.appendChild(path);
    });
    if (cols.pairs.length >= 2) {
      rows.forEach(function (r) {
        var a = place(r, cols.pairs[0]), b = place(r, cols.pairs[1]);
        if (!a || !b) return;
        var line = svgEl("path", { d: pathData([continuous([a, b])], false), class: "hr-link" });
        line.appendChild(svgEl("title", {}, u.cellText(r, placeLabel(vars, cols.pairs[0], 0)) + " – " + u.cellText(r, placeLabel(vars, cols.pairs[1], 1))));
        svg.appendChild(line);
      });
    }
    var drawn = {}, written = [];
    cols.pairs.forEach(function (pair, i) {
      var label = placeLabel(vars, pair, i);
      rows.forEach(function (r) {
        var at = place(r, pair);
        if (!at) return;
        var text = r[label] ? u.cellText(r, label) : "";
        var key = at.join(",") + " " + text;
        if (drawn[key]) return;  // a place in many rows is drawn once
        drawn[key] = true;
        var p = px(at[0], at[1]);
        var dot = svgEl("circle", { cx: p[0], cy: p[1], r: 4, class: "hr-place" });
        dot.appendChild(svgEl("title", {}, text));
        svg.appendChild(dot);
        // a name that would cover one already written is left to the point's tooltip
        var clear = written.every(function (w) { return Math.abs(w[0] - p[0]) > 60 || Math.abs(w[1] - p[1]) > 12; });
        if (clear) {
          written.push(p);
          var east = p[0] > W - 80;  // a name near the map's east edge is written to its left
          svg.appendChild(svgEl("text", { x: east ? p[0] - 6 : p[0] + 6, y: p[1] + 4, "text-anchor": east ? "end" : "start", class: "hr-axis" }, text));
        }
      });
    });
    box.appendChild(svg);
  }

  R.views.push({
    name: "Map", order: 3, draw: mapView,
    offers: function (vars, rows) { return !!(window.topojson && window.HabitatWorldAtlas) && mapColumns(vars, rows).ok; }
  });
})();
