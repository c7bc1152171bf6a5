// Shopkeeper console: what htmx does not do itself. No build step, no framework.
(function () {
  "use strict";

  // A refused action (4xx) still shows its message: htmx swaps problem fragments too.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "[4]..", swap: true, error: false },
        { code: "...", swap: true, error: true },
      ];
    }
  });

  function drawChart(element) {
    if (!window.echarts || element.dataset.drawn) return;
    var source = element.querySelector('script[type="application/json"]');
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var name = element.dataset.seriesName || "";
    var option;
    if (element.dataset.chart === "pie") {
      option = { tooltip: { trigger: "item" }, series: [{ name: name, type: "pie", radius: ["35%", "70%"], data: data.items }] };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 56, right: 16, top: 16, bottom: 32 },
        xAxis: { type: "category", data: data.x },
        yAxis: { type: "value" },
        series: [{ name: name, type: element.dataset.chart === "bar" ? "bar" : "line", data: data.y, smooth: true }],
      };
    }
    var chart = echarts.init(element);
    chart.setOption(option);
    element.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init(root) {
    root.querySelectorAll("[data-chart]").forEach(drawChart);
    // A scan field (USB scanners type the code and press Enter) keeps the focus.
    var scan = root.querySelector("[data-scan]");
    if (scan) scan.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
