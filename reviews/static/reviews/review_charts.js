// The review page's print button and charts: revenue won by tier, coverage and conversion by tier; and on the
// back-test page, the hit rate by tier. Data comes from json_script elements (no inline
// script: Content Security Policy).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
  if (typeof Chart === "undefined") {
    return;
  }
  function bar(canvas, labels, datasets, options) {
    if (!canvas) {
      return;
    }
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign(
        { responsive: true, maintainAspectRatio: false, animation: false },
        options || {}
      ),
    });
  }
  const review = document.getElementById("review-chart-data");
  if (review) {
    const data = JSON.parse(review.textContent);
    bar(
      document.getElementById("revenue-chart"),
      data.labels,
      [{ label: data.revenue_label, data: data.revenue, backgroundColor: "#198754" }],
      { scales: { y: { beginAtZero: true } } }
    );
    bar(
      document.getElementById("rates-chart"),
      data.labels,
      [
        { label: data.coverage_label, data: data.coverage, backgroundColor: "#0d6efd" },
        { label: data.conversion_label, data: data.conversion, backgroundColor: "#fd7e14" },
      ],
      { scales: { y: { beginAtZero: true, max: 100 } } }
    );
  }
  document.querySelectorAll("script[id^='backtest-chart-data-']").forEach(function (source) {
    const data = JSON.parse(source.textContent);
    bar(
      document.getElementById(source.id.replace("-data-", "-")),
      data.labels,
      [{ label: data.label, data: data.rates, backgroundColor: "#6f42c1" }],
      { scales: { y: { beginAtZero: true, max: 100 } } }
    );
  });
})();
