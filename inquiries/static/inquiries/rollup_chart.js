// The roll-up page's chart: inquiries per month, stacked by decision. Data comes from the
// page's json_script element (no inline script: Content Security Policy).
(function () {
  "use strict";
  const source = document.getElementById("rollup-chart-data");
  const canvas = document.getElementById("rollup-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const colours = {
    target: "#198754",
    serve_once: "#0d6efd",
    decline: "#dc3545",
    refer: "#6f42c1",
    open: "#ffc107",
  };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (set) {
        return { label: set.label, data: set.data, backgroundColor: colours[set.key] || "#6c757d" };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
