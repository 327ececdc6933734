/* Readiness charts, drawn with the vendored Chart.js from the data the page
   embeds with json_script (no inline script under the site's CSP). The table
   under each chart is its text alternative: it stays open when this script or
   Chart.js does not run, and folds away once the chart is drawn. */
(function () {
  "use strict";

  const Chart = window.Chart;
  if (!Chart) {
    return;
  }

  const INK = "#334155";
  const SCORE = "#1d4ed8";
  const BAND = "rgba(96, 165, 250, 0.35)";
  const PROBABILITY = "#15803d";
  const CUT = "#b91c1c";
  const CUT_DASH = [6, 4];
  const BAR = "#60a5fa";
  const THIN = "#cbd5e1";
  const WHISKER = "#1e3a8a";
  const DAY_MS = 86400000;
  // Room per label line and around each domain's bar, in CSS pixels.
  const LINE_HEIGHT = 14;
  const ROW_GAP = 14;
  // Axis, axis title and legend of the domain chart.
  const DOMAIN_CHROME = 110;

  Chart.defaults.color = INK;
  Chart.defaults.font.size = 12;

  const percent = (value) => `${value}%`;

  // Days as whole numbers on a linear axis, so that gaps between days with
  // evidence keep their length (a category axis would space them evenly).
  function dayNumber(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return Date.UTC(year, month - 1, day) / DAY_MS;
  }

  function dayLabel(number, withYear) {
    return new Date(number * DAY_MS).toLocaleDateString("en-GB", {
      day: "numeric",
      month: "short",
      year: withYear ? "numeric" : undefined,
      timeZone: "UTC",
    });
  }

  // The passing cut as a dashed line across the plot on the given scale
  // (Chart.js has no built-in reference line), labelled beside the line when
  // there is room (the history chart) and in the legend in any case.
  const passingCut = {
    id: "passingCut",
    afterDatasetsDraw(chart, _args, options) {
      const scale = chart.scales[options.scaleID];
      if (!scale || options.value == null) {
        return;
      }
      const { ctx, chartArea } = chart;
      const at = scale.getPixelForValue(options.value);
      ctx.save();
      ctx.strokeStyle = CUT;
      ctx.lineWidth = 2;
      ctx.setLineDash(CUT_DASH);
      ctx.beginPath();
      if (scale.isHorizontal()) {
        ctx.moveTo(at, chartArea.top);
        ctx.lineTo(at, chartArea.bottom);
      } else {
        ctx.moveTo(chartArea.left, at);
        ctx.lineTo(chartArea.right, at);
      }
      ctx.stroke();
      if (options.labelled) {
        ctx.fillStyle = CUT;
        ctx.font = `600 12px ${Chart.defaults.font.family}`;
        ctx.textAlign = "left";
        ctx.textBaseline = "bottom";
        ctx.fillText(cutText(options.value), chartArea.left + 4, at - 3);
      }
      ctx.restore();
    },
  };

  const cutText = (value) => `Passing cut ${value}%`;

  function cutLegendItem(value) {
    return {
      text: cutText(value),
      pointStyle: "line",
      strokeStyle: CUT,
      fillStyle: CUT,
      lineWidth: 2,
      lineDash: CUT_DASH,
      fontColor: INK,
    };
  }

  // Legend items that are no dataset (the cut, the grey of thin domains) do
  // nothing when clicked; the others show or hide their dataset as usual.
  function legendClick(event, item, legend) {
    if (item.datasetIndex !== undefined) {
      Chart.defaults.plugins.legend.onClick.call(this, event, item, legend);
    }
  }

  // Both charts' legends: point-style items that show or hide their series.
  function legendOf(generateLabels) {
    return { onClick: legendClick, labels: { usePointStyle: true, generateLabels } };
  }

  function historyChart(canvas, data) {
    const days = data.days.map((d) => ({ ...d, x: dayNumber(d.day) }));
    const first = days[0].x;
    const last = days[days.length - 1].x;
    const withYear =
      new Date(first * DAY_MS).getUTCFullYear() !==
      new Date(last * DAY_MS).getUTCFullYear();
    const series = (key) => days.map((d) => ({ x: d.x, y: d[key] }));
    return new Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          {
            label: "90% interval (low)",
            data: series("low"),
            yAxisID: "score",
            borderWidth: 0,
            pointRadius: 0,
            fill: false,
          },
          {
            label: "90% interval",
            data: series("high"),
            yAxisID: "score",
            borderWidth: 0,
            pointRadius: 0,
            backgroundColor: BAND,
            pointStyle: "rect",
            fill: "-1",
          },
          {
            label: "Predicted score",
            data: series("predicted"),
            yAxisID: "score",
            borderColor: SCORE,
            backgroundColor: SCORE,
            borderWidth: 2.5,
            pointRadius: 3,
          },
          {
            label: "Chance of passing",
            data: series("probability"),
            yAxisID: "probability",
            borderColor: PROBABILITY,
            backgroundColor: PROBABILITY,
            borderWidth: 2,
            borderDash: [6, 4],
            pointRadius: 3,
            pointStyle: "rectRot",
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: {
            type: "linear",
            min: first === last ? first - 1 : first,
            max: first === last ? last + 1 : last,
            title: { display: true, text: "Day" },
            ticks: {
              precision: 0,
              maxRotation: 0,
              autoSkipPadding: 16,
              callback: (value) => dayLabel(value, withYear),
            },
          },
          score: {
            position: "left",
            min: 0,
            max: 100,
            title: { display: true, text: "Predicted score (% correct)", color: SCORE },
            ticks: { stepSize: 25, callback: percent },
          },
          probability: {
            position: "right",
            min: 0,
            max: 100,
            grid: { drawOnChartArea: false },
            title: { display: true, text: "Chance of passing (%)", color: PROBABILITY },
            ticks: { stepSize: 25, callback: percent },
          },
        },
        plugins: {
          legend: legendOf((chart) => [
            ...Chart.defaults.plugins.legend.labels
              .generateLabels(chart)
              .filter((item) => item.datasetIndex > 0),
            cutLegendItem(data.cut),
          ]),
          tooltip: {
            filter: (item) => item.datasetIndex > 1,
            callbacks: {
              title: (items) => dayLabel(items[0].parsed.x, true),
              label: (item) => {
                const day = days[item.dataIndex];
                if (item.dataset.yAxisID === "probability") {
                  return `Chance of passing ${day.probability}%`;
                }
                return `Predicted score ${day.predicted}% (90% interval ${day.low}–${day.high}%)`;
              },
              footer: (items) => `${days[items[0].dataIndex].answers} graded answers`,
            },
          },
          passingCut: { scaleID: "score", value: data.cut, labelled: true },
        },
      },
      plugins: [passingCut],
    });
  }

  // A domain's name in lines of at most `width` characters, at most `lines`
  // of them (the last cut short with an ellipsis): long names do not crowd
  // the bars, and the table and the tooltip give them in full.
  function wrap(text, width, lines) {
    const out = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
      if (line && (line + " " + word).length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
    if (out.length > lines) {
      const kept = out.slice(0, lines);
      kept[lines - 1] = `${kept[lines - 1].slice(0, width - 1)}…`;
      return kept;
    }
    return out.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
  }

  function legendBox(text, colour, datasetIndex, chart) {
    return {
      text,
      datasetIndex,
      pointStyle: "rect",
      fillStyle: colour,
      strokeStyle: colour,
      lineWidth: 0,
      fontColor: INK,
      hidden: chart ? !chart.isDatasetVisible(datasetIndex) : false,
    };
  }

  function domainChart(canvas, data) {
    const box = canvas.parentElement;
    const narrow = box.clientWidth < 520;
    const labels = data.domains.map((d) => [
      ...wrap(d.name, narrow ? 18 : 34, narrow ? 3 : 2),
      `${d.weight}% of exam`,
    ]);
    const lines = Math.max(...labels.map((l) => l.length));
    // The chart's height follows its rows, so each keeps room for its label.
    box.style.height = `${data.domains.length * (lines * LINE_HEIGHT + ROW_GAP) + DOMAIN_CHROME}px`;
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels,
        datasets: [
          {
            label: "90% interval",
            data: data.domains.map((d) => (d.expected == null ? null : [d.low, d.high])),
            backgroundColor: WHISKER,
            grouped: false,
            barPercentage: 0.12,
            order: 0,
          },
          {
            label: "Expected % correct",
            data: data.domains.map((d) => d.expected),
            backgroundColor: data.domains.map((d) => (d.thin ? THIN : BAR)),
            grouped: false,
            barPercentage: 0.7,
            order: 1,
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", axis: "y", intersect: false },
        scales: {
          x: {
            min: 0,
            max: 100,
            position: "bottom",
            title: { display: true, text: "Expected percent correct in the domain" },
            ticks: { stepSize: 25, callback: percent },
          },
          y: { ticks: { autoSkip: false } },
        },
        plugins: {
          legend: legendOf((chart) => [
            legendBox("Expected % correct", BAR, 1, chart),
            legendBox("Little evidence", THIN),
            legendBox("90% interval", WHISKER, 0, chart),
            cutLegendItem(data.cut),
          ]),
          tooltip: {
            filter: (item) => item.datasetIndex === 1,
            callbacks: {
              title: (items) => data.domains[items[0].dataIndex].name,
              label: (item) => {
                const d = data.domains[item.dataIndex];
                if (d.expected == null) {
                  return "No answers yet";
                }
                return `Expected ${d.expected}% (90% interval ${d.low}–${d.high}%)`;
              },
              footer: (items) => {
                const d = data.domains[items[0].dataIndex];
                return `${d.weight}% of the exam · ${d.answers} answers${d.thin ? " · little evidence" : ""}`;
              },
            },
          },
          passingCut: { scaleID: "x", value: data.cut },
        },
      },
      plugins: [passingCut],
    });
  }

  const DRAW = { history: historyChart, domains: domainChart };

  for (const figure of document.querySelectorAll("[data-readiness-chart]")) {
    const canvas = figure.querySelector("canvas[data-chart]");
    const source = document.getElementById(canvas.dataset.source);
    const draw = DRAW[canvas.dataset.chart];
    if (!source || !draw) {
      continue;
    }
    // Shown before drawing: Chart.js sizes the canvas from its visible box.
    figure.hidden = false;
    draw(canvas, JSON.parse(source.textContent));
    const details = figure.parentElement.querySelector(
      `details[data-table-for="${canvas.dataset.source}"]`
    );
    if (details) {
      details.open = false;
    }
  }
})();
