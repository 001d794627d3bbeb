/* reports/dashboard.html — the trend charts (Chart.js, vendored), from the JSON of json_script
   #dashboard-chart-data (no inline script: the CSP allows none).

   Readable in print and without colour: every series has its own dash pattern and point style, bars
   their own grey level or hatching, and every value is written beside its point or inside its bar;
   each chart has its data table under it. A click on a point opens the list it counts. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-chart-data");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;
  var whole = new Intl.NumberFormat("vi-VN");
  var tenth = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  var LINES = [
    { color: "#1f4e8c", dash: [], point: "circle" },
    { color: "#9e1b1b", dash: [7, 4], point: "rectRot" },
    { color: "#4f5862", dash: [2, 3], point: "triangle" },
  ];

  function hatch(color) {  // diagonal lines: tells a segment apart in black and white
    var c = document.createElement("canvas");
    c.width = c.height = 8;
    var g = c.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(6, 10); g.lineTo(10, 6);
    g.stroke();
    return g.createPattern(c, "repeat");
  }
  // best level darkest … worst hatched: four grey levels apart
  var LEVEL_FILLS = ["#173c6c", "#5f84b8", "#c9d6ea", null];

  function text(value, percent) {
    if (value === null || value === undefined) return "–";
    return percent ? tenth.format(value) + "%" : whole.format(value);
  }

  // Writes each value on its point (lines, bars) or inside its segment (stacked bars).
  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      var opts = chart.options.plugins.valueLabels || {};
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = "600 11px " + Chart.defaults.font.family;
      ctx.textAlign = "center";
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach(function (el, j) {
          var v = ds.data[j];
          if (v === null || v === undefined) return;
          if (opts.stacked) {
            if (v < 6) return;  // too thin to hold its number: the table has it
            ctx.fillStyle = i === 0 ? "#ffffff" : "#1b1f24";
            ctx.textBaseline = "middle";
            ctx.fillText(text(v, opts.percent), el.x, (el.y + el.base) / 2);
          } else {
            // above its point, unless another line passes just above it there: then below (no two labels meet)
            var below = chart.config.type === "line" && chart.data.datasets.some(function (other, k) {
              var o = k !== i && chart.getDatasetMeta(k).data[j];
              return o && other.data[j] !== null && (o.y < el.y || (o.y === el.y && k < i)) && el.y - o.y < 24;
            });
            ctx.fillStyle = "#1b1f24";
            ctx.textBaseline = below ? "top" : "bottom";
            ctx.fillText(text(v, opts.percent), el.x, below ? el.y + 8 : el.y - (chart.config.type === "bar" ? 3 : 8));
          }
        });
      });
      ctx.restore();
    },
  };

  function draw(id, spec, labels) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    var bar = spec.kind === "bar";
    var datasets = spec.series.map(function (s, i) {
      var line = LINES[i % LINES.length];
      var d = { label: s.label, data: s.data, urls: s.urls };
      if (bar) {
        var fill = spec.stacked ? (LEVEL_FILLS[i] || hatch("#9e1b1b")) : "#5f84b8";
        d.backgroundColor = fill;
        d.borderColor = "#1b1f24";
        d.borderWidth = 1;
      } else {
        d.borderColor = line.color;
        d.backgroundColor = line.color;
        d.borderDash = line.dash;
        d.pointStyle = line.point;
        d.pointRadius = 5;
        d.borderWidth = 2;
      }
      return d;
    });
    return new Chart(canvas, {
      type: bar ? "bar" : "line",
      data: { labels: spec.labels || labels, datasets: datasets },
      plugins: [valueLabels],
      options: {
        animation: false,
        maintainAspectRatio: false,
        devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),
        layout: { padding: { top: 18, right: 24, left: 4 } },
        interaction: { mode: "nearest", intersect: true },
        scales: {
          x: { stacked: !!spec.stacked, ticks: { color: "#1b1f24" }, grid: { display: false } },
          y: {
            stacked: !!spec.stacked, beginAtZero: bar || !!spec.percent, max: spec.stacked || spec.percent ? 100 : undefined,  // a share never goes past 100%
            grace: "12%",
            ticks: { color: "#1b1f24", precision: spec.percent ? 1 : 0, callback: function (v) { return text(v, spec.percent); } },
          },
        },
        plugins: {
          legend: { display: spec.series.length > 1, position: "bottom", labels: { usePointStyle: !bar, boxWidth: 18, color: "#1b1f24" } },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + text(c.raw, spec.percent); } } },
          valueLabels: { percent: !!spec.percent, stacked: !!spec.stacked },
        },
        onHover: function (e, elements) { e.native.target.style.cursor = elements.length ? "pointer" : "default"; },
        onClick: function (e, elements) {
          if (!elements.length) return;
          var url = datasets[elements[0].datasetIndex].urls[elements[0].index];
          if (url) window.location.href = url;
        },
      },
    });
  }

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Object.keys(data.charts).forEach(function (key) {
    draw("chart-" + key, data.charts[key], data.labels);
  });
})();
