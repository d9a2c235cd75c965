// Charts of the dashboard and indicator pages, drawn with the vendored ECharts
// (static/vendor/echarts, version in its README). The page carries the data in a
// json_script element #chart-data; each <div data-chart="key"> becomes one chart.
// Every chart has a table with the same numbers on the page, so nothing is lost
// without JavaScript or with a screen reader. A click on a bar, slice or point
// opens the measures behind it (the data point's "url").
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  var specs = JSON.parse(source.textContent);
  var charts = [];

  function tooltip(trigger) {
    return { trigger: trigger, confine: true };
  }

  function barOption(spec) {
    var category = { type: "category", data: spec.categories, axisLabel: { width: 160, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    if (spec.horizontal) category.inverse = true;
    return {
      tooltip: Object.assign(tooltip("axis"), { axisPointer: { type: "shadow" } }),
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: spec.horizontal ? value : category,
      yAxis: spec.horizontal ? category : value,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: spec.stacked ? "total" : undefined,
          itemStyle: { color: s.color },
          emphasis: { focus: "series" },
          cursor: "pointer",
          data: s.data,
        };
      }),
    };
  }

  function lineOption(spec) {
    return {
      tooltip: tooltip("axis"),
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, boundaryGap: false },
      yAxis: { type: "value", name: spec.unit || "", scale: false },
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          connectNulls: true,
          symbolSize: 7,
          itemStyle: { color: s.color },
          lineStyle: { color: s.color, type: s.dashed ? "dashed" : "solid", width: 2 },
          cursor: "pointer",
          data: s.data,
        };
      }),
    };
  }

  function pieOption(spec) {
    return {
      tooltip: Object.assign(tooltip("item"), { formatter: "{b}：{c}（{d}%）" }),
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["38%", "66%"],
          center: ["50%", "44%"],
          label: { formatter: "{b}\n{c}" },
          cursor: "pointer",
          data: spec.data.map(function (d) {
            return { name: d.name, value: d.value, url: d.url, itemStyle: { color: d.color } };
          }),
        },
      ],
    };
  }

  var builders = { bar: barOption, line: lineOption, pie: pieOption };

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = specs[el.dataset.chart];
    if (!spec || !builders[spec.kind]) return;
    if (spec.kind === "bar" && spec.horizontal) {
      // Tall enough for every group to be read and clicked.
      el.style.height = Math.max(160, 48 + spec.categories.length * 30) + "px";
    }
    var chart = echarts.init(el, null, { renderer: "svg", locale: "ZH" });
    // "finished" comes once the opening animation is over: from then on the bars are where they stay.
    chart.on("finished", function () {
      el.classList.add("chart-finished");
    });
    chart.setOption(builders[spec.kind](spec));
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) window.location.assign(url);
    });
    el.classList.add("chart-ready");
    charts.push(chart);
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
