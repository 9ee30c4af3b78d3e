// Charts of the score-run pages: the tier pyramid, the score distribution and a customer's
// contributions per criterion. Each <canvas data-score-chart="kind" data-source="id"> reads its
// data from the json_script element with that id (no inline script: Content Security Policy).
// Content that htmx loads later (a customer's scores) is drawn when htmx reports it.
(function () {
  "use strict";

  const TIER_COLOURS = ["#198754", "#0d6efd", "#6f42c1", "#fd7e14", "#20c997", "#d63384"];
  const PLACE_COLOURS = { general: "#adb5bd", screened_out: "#dc3545" };

  function colourOf(key, index) {
    return PLACE_COLOURS[key] || TIER_COLOURS[index % TIER_COLOURS.length];
  }

  function pyramid(canvas, data) {
    // Bars centred on zero, widest at the bottom: a pyramid with the first tier at the top.
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: data.title,
            data: data.counts.map(function (n) {
              return [-n / 2, n / 2];
            }),
            backgroundColor: data.keys.map(colourOf),
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return data.counts[item.dataIndex];
              },
            },
          },
        },
        scales: { x: { display: false }, y: { grid: { display: false } } },
      },
    });
  }

  function histogram(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colourOf(set.key, index) };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, title: { display: true, text: data.x_title } },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: data.y_title },
          },
        },
      },
    });
  }

  function contributions(canvas, data) {
    // Per criterion: the points the customer earned, then those its weight left unearned.
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.earned_label, data: data.earned, backgroundColor: "#0d6efd" },
          { label: data.lost_label, data: data.lost, backgroundColor: "#dee2e6" },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } },
      },
    });
  }

  const KINDS = { pyramid: pyramid, histogram: histogram, contributions: contributions };

  function draw(root) {
    if (typeof Chart === "undefined" || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("canvas[data-score-chart]").forEach(function (canvas) {
      const make = KINDS[canvas.dataset.scoreChart];
      const source = document.getElementById(canvas.dataset.source);
      if (!make || !source || Chart.getChart(canvas)) {
        return; // unknown, without data, or already drawn (the script loaded twice)
      }
      make(canvas, JSON.parse(source.textContent));
    });
  }

  draw(document);
  document.addEventListener("htmx:load", function (event) {
    draw(event.detail.elt);
  });
})();
