/* The interface's words in the page's language: HabitatWords.t("{0} rows", 12).
 * The page carries its words in <script type="application/json" id="page-words"> (base.html;
 * JSON is never run, so the page's policy may forbid inline script); a string it does not hold
 * (English, or a page without the block, such as the offline network file) is shown as is.
 * {0}, {1}... are filled in after translation, so a language may put them elsewhere. */
(function () {
  "use strict";
  let words = null;

  function catalogue() {
    if (words === null) {
      const block = document.getElementById("page-words");
      try { words = block ? JSON.parse(block.textContent) : {}; } catch (ignored) { words = {}; }
    }
    return words;
  }

  function t(text) {
    const values = Array.prototype.slice.call(arguments, 1);
    const known = catalogue();
    const shown = Object.hasOwn(known, text) ? known[text] : text;
    return shown.replace(/\{(\d+)\}/g, function (whole, n) {
      return n < values.length ? String(values[n]) : whole;
    });
  }

  window.HabitatWords = {t: t, lang: function () { return document.documentElement.lang || "en"; }};
})();
