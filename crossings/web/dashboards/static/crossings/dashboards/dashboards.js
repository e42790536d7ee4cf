/* Draws the dashboard charts from the page's JSON data block (no inline script: CSP).
   plotly.js and the TopoJSON basemap are served by Crossings; nothing is fetched elsewhere. */
(function () {
  "use strict";
  var block = document.getElementById("dashboard-data");
  var settings = document.getElementById("dashboard-config");
  if (!block || !settings || !window.Plotly) { return; }
  var charts = JSON.parse(block.textContent);
  var config = {displaylogo: false, responsive: true, topojsonURL: settings.dataset.topojson,
                toImageButtonOptions: {format: "png", scale: 2}};
  var country = settings.dataset.country;

  function plot(name, traces, layout) {
    var element = document.getElementById("plot-" + name);
    if (!element) { return; }
    if (!traces.length) { element.textContent = "No data for this selection."; element.classList.add("note"); return; }
    var base = {margin: {l: 50, r: 20, t: 20, b: 40}, font: {family: "sans-serif"}};
    window.Plotly.newPlot(element, traces, Object.assign(base, layout || {}), config);
  }

  function known(row, key) { return row.status !== "C" && row[key] !== null && row[key] !== undefined; }

  function sankey(rows) {
    var labels = [], index = {}, links = {source: [], target: [], value: [], label: []};
    function node(code, position, last) {
      var key = position === 0 ? "o:" + code : (last ? "d:" + code : "t:" + code);
      if (!(key in index)) {
        index[key] = labels.length;
        labels.push(position === 0 ? code + " (origin)" : (last ? code + " (destination)" : code + " (transit)"));
      }
      return index[key];
    }
    rows.filter(function (r) { return known(r, "migrants") && r.migrants > 0; }).forEach(function (row) {
      var parts = row.route.split(" > ");
      for (var i = 0; i + 1 < parts.length; i += 1) {
        links.source.push(node(parts[i], i, false));
        links.target.push(node(parts[i + 1], i + 1, i + 1 === parts.length - 1));
        links.value.push(row.migrants);
        links.label.push(row.route);
      }
    });
    if (!links.value.length) { return []; }
    return [{type: "sankey", arrangement: "snap", node: {label: labels, pad: 15, thickness: 16},
             link: links}];
  }

  function map(points, routes) {
    var traces = [];
    (routes || []).filter(function (r) { return known(r, "migrants") && r.migrants > 0; })
      .slice(0, 12).forEach(function (row) {
        var stops = row.route.split(" > ").filter(function (c) { return c !== "UNKNOWN"; });
        if (stops.length < 2) { return; }
        traces.push({type: "scattergeo", mode: "lines", locationmode: "ISO-3", locations: stops,
                     line: {width: Math.max(1, Math.min(10, Math.sqrt(row.migrants))), color: "#c0392b"},
                     opacity: 0.6, name: row.route, hoverinfo: "name", showlegend: false});
      });
    var shown = points.filter(function (p) { return known(p, "incidents") && p.incidents > 0; });
    if (shown.length) {
      var biggest = Math.max.apply(null, shown.map(function (p) { return p.incidents; }));
      traces.push({type: "scattergeo", mode: "markers", lat: shown.map(function (p) { return p.latitude; }),
                   lon: shown.map(function (p) { return p.longitude; }),
                   text: shown.map(function (p) { return p.name + ": " + p.incidents + " incidents"; }),
                   hoverinfo: "text", name: "crossing points",
                   marker: {size: shown.map(function (p) { return 6 + 30 * Math.sqrt(p.incidents / biggest); }),
                            color: "#1f4e79", opacity: 0.75, line: {width: 1, color: "#fff"}}});
    }
    return traces;
  }

  var geo = {scope: "asia", resolution: 50, showcountries: true, countrycolor: "#999",
             showland: true, landcolor: "#f2efe9", showocean: true, oceancolor: "#dfeefa",
             lonaxis: {range: [90, 130]}, lataxis: {range: [-10, 28]}, projection: {type: "mercator"}};

  if (charts.routes) { plot("routes", sankey(charts.routes.rows), {height: 480}); }
  if (charts.crossing_points) {
    plot("crossing_points", map(charts.crossing_points.rows, charts.routes && charts.routes.rows),
         {geo: geo, height: 520, margin: {l: 0, r: 0, t: 0, b: 0}});
  }
  if (charts.fees) {
    var fees = charts.fees.rows.filter(function (r) { return known(r, "fee_median_usd"); });
    plot("fees", fees.length ? [{type: "bar", x: fees.map(function (r) { return r.flow + " " + country; }),
      y: fees.map(function (r) { return r.fee_median_usd; }), name: "median",
      error_y: {type: "data", symmetric: false,
                array: fees.map(function (r) { return r.fee_q3_usd - r.fee_median_usd; }),
                arrayminus: fees.map(function (r) { return r.fee_median_usd - r.fee_q1_usd; })},
      text: fees.map(function (r) { return r.n_fees + " fees"; }), marker: {color: "#7d5ba6"}}] : [],
      {yaxis: {title: {text: "US dollars per person"}}, height: 360});
  }
  if (charts.monthly) {
    var months = charts.monthly.rows;
    plot("monthly", months.length ? [
      {type: "bar", name: "own records", x: months.map(function (r) { return r.month; }),
       y: months.map(function (r) { return r.own; }), marker: {color: "#1f4e79"}},
      {type: "bar", name: "shared by other countries", x: months.map(function (r) { return r.month; }),
       y: months.map(function (r) { return r.shared; }), marker: {color: "#8fb3d9"}}
    ] : [], {barmode: "stack", height: 380, yaxis: {title: {text: "incidents"}}, legend: {orientation: "h"}});
  }
  if (charts.seasonal) {
    var profile = charts.seasonal.rows;
    plot("seasonal", profile.length ? [{type: "scatter", mode: "lines+markers",
      x: profile.map(function (r) { return r.month; }), y: profile.map(function (r) { return r.index; }),
      name: "seasonal index"}] : [],
      {height: 320, xaxis: {dtick: 1, title: {text: "calendar month"}}, yaxis: {title: {text: "index"}},
       shapes: [{type: "line", xref: "paper", x0: 0, x1: 1, y0: 1, y1: 1, line: {dash: "dot", color: "#999"}}]});
  }
}());
