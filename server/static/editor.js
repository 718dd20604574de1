// A SPARQL editor: a textarea laid over a highlighted copy of its own text. No dependencies.
(function () {
  "use strict";
  const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED GRAPH PREFIX BASE " +
    "OPTIONAL UNION MINUS FILTER BIND VALUES AS DISTINCT REDUCED ORDER BY ASC DESC LIMIT OFFSET " +
    "GROUP HAVING COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR EXISTS NOT IN SERVICE " +
    "SILENT UNDEF LANG LANGMATCHES STR IRI URI DATATYPE BOUND COALESCE IF REGEX CONTAINS " +
    "STRSTARTS STRENDS LCASE UCASE STRLEN SUBSTR CONCAT REPLACE YEAR MONTH DAY NOW ISIRI ISURI " +
    "ISLITERAL ISBLANK SAMETERM TRUE FALSE A").split(" "));
  const TOKEN = new RegExp([
    "(#[^\\n]*)",                                   // comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                       // IRI
    "([?$][A-Za-z0-9_\\u00B7-\\uFFFF]+)",            // variable
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",               // language tag
    "([A-Za-z][\\w.-]*:[\\w.%-]*|:[\\w.%-]+)",        // prefixed name
    "(\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)",       // number
    "([A-Za-z_]+)",                                 // word (keyword or not)
  ].join("|"), "g");
  const CLASSES = [null, "comment", "string", "iri", "variable", "lang", "prefixed", "number"];

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    let html = "", last = 0;
    text.replace(TOKEN, function (match) {
      const groups = Array.prototype.slice.call(arguments, 1, 9);
      const offset = arguments[9];
      html += escape(text.slice(last, offset));
      let kind = null;
      for (let i = 0; i < 7; i++) { if (groups[i] !== undefined) { kind = CLASSES[i + 1]; break; } }
      if (kind === null && KEYWORDS.has(match.toUpperCase())) kind = "keyword";
      html += kind ? '<span class="tok-' + kind + '">' + escape(match) + "</span>" : escape(match);
      last = offset + match.length;
      return match;
    });
    return html + escape(text.slice(last)) + "\n";
  }

  function attach(textarea, code) {
    const pre = code.parentElement;
    function render() { code.innerHTML = highlight(textarea.value); sync(); }
    function sync() { pre.scrollTop = textarea.scrollTop; pre.scrollLeft = textarea.scrollLeft; }
    textarea.addEventListener("input", render);
    textarea.addEventListener("scroll", sync);
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Tab" && !event.shiftKey) {
        event.preventDefault();
        const start = textarea.selectionStart;
        textarea.setRangeText("  ", start, textarea.selectionEnd, "end");
        render();
      }
    });
    render();
    return {render: render};
  }

  window.SparqlEditor = {attach: attach, highlight: highlight};
})();
