/* The interface's words in the page's language: HabitatWords.t("{0} rows", 12).
 * The page carries its words in <script type="application/json" id="page-words"> (base.html;
 * JSON is never run, so the page's policy may forbid inline script); a string it does not hold
 * (English, or a page without the block, such as the offline network file) is shown as is.
 * {0}, {1}... are filled in after translation, so a language may put them elsewhere. */
(function () {
  "use strict";
  const blocks = {};

  /* The JSON the page carries in <script type="application/json" id="..."> (read once); {}
   * where the page has no such block or it does not read. */
  function block(id) {
    if (!Object.hasOwn(blocks, id)) {
      const element = document.getElementById(id);
      try { blocks[id] = element ? JSON.parse(element.textContent) : {}; } catch (ignored) { blocks[id] = {}; }
    }
    return blocks[id];
  }

  function t(text) {
    const values = Array.prototype.slice.call(arguments, 1);
    const known = block("page-words");
    const shown = Object.hasOwn(known, text) ? known[text] : text;
    return shown.replace(/\{(\d+)\}/g, function (whole, n) {
      return n < values.length ? String(values[n]) : whole;
    });
  }

  window.HabitatWords = {t: t, block: block, lang: function () { return document.documentElement.lang || "en"; }};
})();
