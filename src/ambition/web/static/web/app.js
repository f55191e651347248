// Starts GOV.UK Frontend's components. Loaded as a module, so it runs only in browsers that
// support ES modules, which is GOV.UK Frontend's own test of support: the class added here
// (in place of the GOV.UK template's inline script) turns on the components' JavaScript styles.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Components inside content that htmx swaps in are started there; the body was started above.
document.addEventListener("htmx:load", (event) => {
  const root = event.detail && event.detail.elt;
  if (root && root !== document.body && root.nodeType === Node.ELEMENT_NODE) {
    initAll({ scope: root });
  }
});
