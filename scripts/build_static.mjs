// Builds the front-end packages from node_modules into src/ambition/web/static/vendor/,
// which is generated (gitignored) and collected by Django's collectstatic.
// Run by `npm run build`. Offline: it reads node_modules only.
//
// What lands in vendor/:
//   app.css                        GOV.UK Frontend Sass + web/app.scss, with the default styles
//                                  of vega-embed and vega-tooltip appended (they would otherwise
//                                  inject <style> elements, which a CSP without 'unsafe-inline' blocks)
//   govuk-frontend/govuk-frontend.min.js (+ .map)   ES module; web/app.js imports it
//   govuk-frontend/assets/         fonts, images and manifest, referenced by app.css
//   htmx.min.js, vega.min.js, vega-lite.min.js (+ .map), vega-embed.min.js (+ .map)
//   vega-interpreter.js            the CSP-safe expression interpreter as a classic script
//                                  (the package ships only an ES module that imports vega-util)
//   favicon.svg                    the service's icon
//   licences/                      each package's licence text

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_MODULES = join(ROOT, "node_modules");
const STATIC = join(ROOT, "src", "ambition", "web", "static");
const VENDOR = join(STATIC, "vendor");
const written = [];

function pkg(name, ...parts) {
  const path = join(NODE_MODULES, name, ...parts);
  if (!existsSync(path)) {
    throw new Error(`${relative(ROOT, path)} is missing: run \`npm ci\` first`);
  }
  return path;
}

function version(name) {
  return JSON.parse(readFileSync(pkg(name, "package.json"), "utf8")).version;
}

function record(path) {
  written.push(path);
}

function write(target, text) {
  const path = join(VENDOR, target);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  record(path);
}

function copy(source, target) {
  const path = join(VENDOR, target);
  mkdirSync(dirname(path), { recursive: true });
  cpSync(source, path, { recursive: true });
  record(path);
}

function copyWithMap(source, target) {
  copy(source, target);
  if (existsSync(`${source}.map`)) copy(`${source}.map`, `${target}.map`);
}

// A template literal assigned to `name` in a package's build, e.g. `var embedStyle = `...`;`.
function templateLiteral(file, name) {
  const text = readFileSync(file, "utf8");
  const match = text.match(new RegExp(`(?:var|let|const) ${name} = \`([^\`$]*)\`;`));
  if (!match) throw new Error(`${name} not found in ${relative(ROOT, file)}: the package changed`);
  return match[1];
}

function chartStyles() {
  const embed = templateLiteral(pkg("vega-embed", "build", "embed.js"), "embedStyle");
  const tooltip = templateLiteral(pkg("vega-tooltip", "build", "index.js"), "defaultStyle");
  return `\n/* vega-embed ${version("vega-embed")} default style */\n${embed}` +
    `\n/* vega-tooltip ${version("vega-tooltip")} default style */\n${tooltip}`;
}

function buildCss() {
  const result = sass.compile(join(STATIC, "web", "app.scss"), {
    loadPaths: [NODE_MODULES],
    style: "compressed",
    quietDeps: true,
    silenceDeprecations: ["import"],
  });
  write("app.css", `${result.css}\n${chartStyles()}`);
}

// vega-interpreter ships one ES module importing a few helpers from vega-util; vega.min.js
// exposes the same helpers on the global `vega`, so wrap it as a classic script.
function interpreterScript() {
  const source = readFileSync(pkg("vega-interpreter", "build", "vega-interpreter.js"), "utf8");
  const importLine = /^import \{([^}]+)\} from 'vega-util';$/m;
  const exportLine = /^export \{ expression as expressionInterpreter \};$/m;
  if (!importLine.test(source) || !exportLine.test(source)) {
    throw new Error("vega-interpreter's module layout changed: update build_static.mjs");
  }
  const names = source.match(importLine)[1];
  const body = source
    .replace(importLine, `const {${names}} = globalThis.vega;`)
    .replace(exportLine, "globalThis.vegaInterpreter = { expressionInterpreter: expression };");
  return `/*! vega-interpreter ${version("vega-interpreter")} (BSD-3-Clause), wrapped as a classic script; needs vega.min.js first */\n(function () {\n"use strict";\n${body}\n})();\n`;
}

// Browsers ask for an icon on every page; without one they log a 404 for /favicon.ico.
// GOV.UK Frontend's icons are the crown, for GOV.UK only, so the service has its own.
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" fill="#0b0c0c"/><rect y="27" width="32" height="5" fill="#1d70b8"/>
<path d="M16 4 L26 25 H21.5 L19.6 20.5 H12.4 L10.5 25 H6 Z M13.9 16.8 H18.1 L16 11.6 Z" fill="#ffffff"/>
</svg>
`;

function copyLicences(names) {
  for (const name of names) {
    const file = ["LICENSE", "LICENSE.txt", "LICENSE.md"].map((f) => join(NODE_MODULES, name, f)).find(existsSync);
    if (file) copy(file, join("licences", `${name}.txt`));
  }
}

function main() {
  rmSync(VENDOR, { recursive: true, force: true });
  mkdirSync(VENDOR, { recursive: true });

  buildCss();
  copyWithMap(pkg("govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), "govuk-frontend/govuk-frontend.min.js");
  copy(pkg("govuk-frontend", "dist", "govuk", "assets"), "govuk-frontend/assets");
  copy(pkg("htmx.org", "dist", "htmx.min.js"), "htmx.min.js");
  copyWithMap(pkg("vega", "build", "vega.min.js"), "vega.min.js");
  copyWithMap(pkg("vega-lite", "build", "vega-lite.min.js"), "vega-lite.min.js");
  copyWithMap(pkg("vega-embed", "build", "vega-embed.min.js"), "vega-embed.min.js");
  write("vega-interpreter.js", interpreterScript());
  write("favicon.svg", FAVICON);
  copyLicences(["govuk-frontend", "htmx.org", "vega", "vega-lite", "vega-embed", "vega-interpreter", "vega-tooltip"]);

  const versions = ["govuk-frontend", "htmx.org", "vega", "vega-lite", "vega-embed", "vega-interpreter"]
    .map((name) => `${name} ${version(name)}`)
    .join(", ");
  console.log(`Built front-end packages (${versions}) into ${relative(ROOT, VENDOR)}/:`);
  for (const path of written) {
    const size = statSync(path).isDirectory() ? "folder" : `${Math.ceil(statSync(path).size / 1024)} KiB`;
    console.log(`  ${relative(VENDOR, path)}  (${size})`);
  }
}

main();
