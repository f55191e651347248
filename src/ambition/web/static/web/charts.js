// Draws every Vega-Lite chart on the page: an element with data-chart="ID" names the
// <script type="application/json" id="ID"> that holds its spec (web/includes/chart.html).
//
// Vega, Vega-Lite and vega-embed load only on pages that have a chart; their URLs come from
// this script's own data-* attributes, written by base.html with {% static %}.
// Expressions run through vega-interpreter (ast: true), so no eval: the page works under a
// Content Security Policy without 'unsafe-eval' and without 'unsafe-inline'.
// When a chart is drawn its element gets data-chart-drawn="true" ("error" if it failed).
(function () {
  "use strict";

  var script = document.currentScript;
  var libraries = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.appendChild(element);
    });
  }

  // In order: each needs the ones before it on the page.
  function loadLibraries() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!libraries) {
      var urls = script.dataset;
      libraries = [urls.vega, urls.vegaLite, urls.vegaInterpreter, urls.vegaEmbed].reduce(
        function (loaded, src) {
          return loaded.then(function () {
            return loadScript(src);
          });
        },
        Promise.resolve()
      );
    }
    return libraries;
  }

  function embedOptions(element) {
    var interpreter = window.vegaInterpreter || {};
    return {
      actions: { export: true, source: false, compiled: false, editor: false },
      ast: true,
      expr: window.vega.expressionInterpreter || interpreter.expressionInterpreter,
      renderer: "svg",
      // vega-embed's and vega-tooltip's default styles are in vendor/app.css: injecting
      // them as <style> elements would need 'unsafe-inline'.
      defaultStyle: false,
      forceActionsMenu: true,
      tooltip: { disableDefaultStyle: true, theme: "light" },
      downloadFileName: element.id || "chart",
      i18n: {
        CLICK_TO_VIEW_ACTIONS: "Download this chart",
        PNG_ACTION: "Download as PNG",
        SVG_ACTION: "Download as SVG",
      },
    };
  }

  function readSpec(element) {
    var holder = document.getElementById(element.dataset.chart);
    if (!holder) throw new Error("no chart data with id " + element.dataset.chart);
    return JSON.parse(holder.textContent);
  }

  function showError(element, error) {
    console.error("Chart " + (element.id || element.dataset.chart) + " could not be drawn:", error);
    element.textContent = "This chart could not be drawn: " + (error && error.message ? error.message : error);
    element.classList.add("app-chart__error");
    element.dataset.chartDrawn = "error";
  }

  // vega-embed's menu button is an icon with only a title, and a title is not a name to
  // every screen reader (WCAG 4.1.2, axe's summary-name): give it one.
  function nameActionsMenu(element) {
    var summary = element.querySelector("details > summary");
    if (summary && !summary.getAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Download this chart");
    }
  }

  function draw(element) {
    if (element.dataset.chartDrawn || element.dataset.chartDrawing) return Promise.resolve();
    element.dataset.chartDrawing = "true";
    return loadLibraries()
      .then(function () {
        return window.vegaEmbed(element, readSpec(element), embedOptions(element));
      })
      .then(function () {
        nameActionsMenu(element);
        element.dataset.chartDrawn = "true";
      })
      .catch(function (error) {
        showError(element, error);
      })
      .finally(function () {
        delete element.dataset.chartDrawing;
      });
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var elements = Array.prototype.slice.call(scope.querySelectorAll("[data-chart]"));
    if (scope.matches && scope.matches("[data-chart]")) elements.push(scope);
    return Promise.all(elements.map(draw));
  }

  window.ambitionCharts = { drawAll: drawAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
  // Content that htmx swaps in may carry charts of its own.
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.detail && event.detail.elt);
  });
})();
