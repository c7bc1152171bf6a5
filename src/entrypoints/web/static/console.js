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

  // Every posted form goes through htmx (boosted): a refusal lands in #feedback and the
  // form keeps what was typed; a success follows the server's HX-Redirect. A form with an
  // htmx verb of its own, or hx-boost="false" (sign-in, language, sign-out: they change
  // the whole page), is left alone; GET forms (filters) and links stay plain. The address
  // bar keeps the page's own address (never the action's). Without script: plain posts.
  document.addEventListener("htmx:beforeProcessNode", function (event) {
    var form = event.target;
    if (form.tagName !== "FORM" || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("hx-boost") || form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) return;
    form.setAttribute("hx-boost", "true");
    form.setAttribute("hx-push-url", "false");
  });

  function drawChart(element) {
    if (!window.echarts || element.dataset.drawn) return;
    var source = element.querySelector('script[type="application/json"]');
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var name = element.dataset.seriesName || "";
    var option;
    if (element.dataset.chart === "pie") {
      // A legend names each slice: on a phone the slices' own labels are cut to "…".
      option = {
        tooltip: { trigger: "item" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ name: name, type: "pie", radius: ["30%", "60%"], center: ["50%", "45%"], label: { show: false }, data: data.items }],
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 56, right: 16, top: 16, bottom: 32 },
        xAxis: { type: "category", data: data.x },
        yAxis: { type: "value" },
        series: [{ name: name, type: element.dataset.chart === "bar" ? "bar" : "line", data: data.y, smooth: true, smoothMonotone: "x" }],  // no dip below a day's 0
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
