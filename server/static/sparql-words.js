/* What the query editor knows of SPARQL's words, without a server: the tokens of a text, its
 * query form, the problems a person can be told of while typing (a word that is no keyword, a
 * prefix nobody declared, a bracket or a string left open), and the server's parse error put in
 * words at its place. window.SparqlWords; no DOM, no request. */
(function () {
  "use strict";
  // The page's words (words.js); a page without them shows the English.
  const T = window.HabitatWords ? window.HabitatWords.t : function (text) {
    const values = arguments;
    return text.replace(/\{(\d+)\}/g, function (whole, n) { return String(values[+n + 1]); });
  };

  const KEYWORDS = ("BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT WHERE DESCRIBE ASK FROM " +
    "NAMED GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET VALUES OPTIONAL SERVICE SILENT BIND UNDEF " +
    "MINUS UNION FILTER NOT IN EXISTS GRAPH DEFAULT ALL LATERAL TRUE FALSE SEPARATOR LOAD INTO " +
    "CLEAR DROP CREATE ADD TO MOVE COPY INSERT DATA DELETE WITH USING VERSION").split(" ");
  const FUNCTIONS = ("STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND " +
    "CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR " +
    "MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 " +
    "COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR " +
    "REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE " +
    "LANGDIR HASLANG HASLANGDIR STRLANGDIR").split(" ");
  const KNOWN = new Set(KEYWORDS.concat(FUNCTIONS));
  const FORMS = new Set(["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]);
  const UPDATES = new Set(["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
    "COPY", "WITH"]);
  const CLOSING = {"}": "{", ")": "(", "]": "["};

  // One regular expression per kind of token, tried in this order at each place ("y": sticky).
  const NAME_START = "A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D" +
    "\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF" +
    "\\uFDF0-\\uFFFD";
  const NAME = NAME_START + "_\\-0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040";
  const LOCAL_ESCAPE = "\\\\[-_~.!$&'()*+,;=/?#@%]";
  const RULES = [
    ["space", /\s+/y],
    ["comment", /#[^\n]*/y],
    ["string", /"""(?:[^"\\]|\\[\s\S]|"(?!""))*(?:"""|$)|'''(?:[^'\\]|\\[\s\S]|'(?!''))*(?:'''|$)/y],
    ["string", /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/y],
    ["iri", /<[^<>"{}|^`\\\u0000-\u0020]*>/y],
    ["var", new RegExp("[?$][" + NAME_START + "_0-9][" + NAME + "]*", "y")],
    ["lang", /@[A-Za-z]+(?:-[A-Za-z0-9]+)*/y],
    ["bnode", new RegExp("_:[" + NAME + "]*", "y")],
    ["number", /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y],
    ["pname", new RegExp("(?:[" + NAME_START + "](?:[" + NAME + ".]*[" + NAME + "])?)?:" +
      "(?:[" + NAME + ":%]|" + LOCAL_ESCAPE + "|\\.(?=[" + NAME + ":%\\\\]))*", "y")],
    ["word", /[A-Za-z_][A-Za-z0-9_]*/y],
    ["op", /\^\^|&&|\|\||!=|<=|>=/y],
    ["punct", /[\s\S]/y],
  ];

  /** The tokens of ``text``: {kind, text, from, to}; spaces are left out. */
  function tokens(text) {
    const found = [];
    let at = 0;
    while (at < text.length) {
      for (const [kind, rule] of RULES) {
        rule.lastIndex = at;
        const match = rule.exec(text);
        if (!match || !match[0]) continue;
        if (kind !== "space") found.push({kind: kind, text: match[0], from: at, to: at + match[0].length});
        at += match[0].length;
        break;
      }
    }
    return found;
  }

  /** SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE: the query's first form word outside brackets. */
  function form(text) {
    let depth = 0;
    for (const token of tokens(text)) {
      if (token.kind === "punct" && "{([".includes(token.text)) depth += 1;
      else if (token.kind === "punct" && "})]".includes(token.text)) depth -= 1;
      else if (token.kind === "word" && depth === 0) {
        const word = token.text.toUpperCase();
        if (FORMS.has(word)) return word;
        if (UPDATES.has(word)) return "UPDATE";
      }
    }
    return null;
  }

  // Optimal string alignment distance (a swap of two letters counts one).
  function distance(a, b) {
    const rows = [];
    for (let i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (let j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  /** The keyword a mistyped word most likely meant ("GROUP BY" for GROUPBY), or null. */
  function nearestKeyword(word) {
    const upper = word.toUpperCase();
    for (const pair of ["GROUP BY", "ORDER BY"]) {
      if (upper === pair.replace(" ", "")) return pair;
    }
    let best = null;
    let bestDistance = Infinity;
    for (const keyword of KEYWORDS.concat(FUNCTIONS)) {
      const d = distance(upper, keyword);
      if (d < bestDistance) { best = keyword; bestDistance = d; }
    }
    const allowed = upper.length <= 3 ? 1 : upper.length <= 6 ? 2 : 3;
    return bestDistance <= allowed ? best : null;
  }

  function unknownWord(token) {
    const guess = nearestKeyword(token.text);
    if (guess) return T("{0} is not a SPARQL keyword — did you mean {1}?", token.text, guess);
    return T("{0} is not a SPARQL keyword: a variable starts with ? (?{0}), a name has a prefix (hkg:{0})",
      token.text);
  }

  /** What is wrong with ``text`` that needs no server: [{from, to, message}], in order.
   * ``known`` is the prefixes a run declares by itself (name to namespace). */
  function problems(text, known) {
    const found = [];
    const declared = new Set();
    const open = [];
    const all = tokens(text);
    all.forEach(function (token, index) {
      const previous = all[index - 1];
      if (token.kind === "word" && token.text !== "a" && !KNOWN.has(token.text.toUpperCase())) {
        found.push({from: token.from, to: token.to, message: unknownWord(token)});
      } else if (token.kind === "pname") {
        const prefix = token.text.slice(0, token.text.indexOf(":"));
        if (previous && previous.kind === "word" && previous.text.toUpperCase() === "PREFIX") {
          declared.add(prefix);
        } else if (!declared.has(prefix) && !(known && Object.hasOwn(known, prefix))) {
          found.push({from: token.from, to: token.from + prefix.length + 1,
            message: T("the prefix {0}: is not declared: add PREFIX {0}: <...> at the top", prefix)});
        }
      } else if (token.kind === "string" && !closed(token.text)) {
        found.push({from: token.from, to: token.to,
          message: T("this string is not closed: its {0} at the end is missing", token.text[0])});
      } else if (token.kind === "punct" && "{([".includes(token.text)) {
        open.push(token);
      } else if (token.kind === "punct" && CLOSING[token.text]) {
        const last = open[open.length - 1];
        if (last && last.text === CLOSING[token.text]) {
          open.pop();
        } else {
          found.push({from: token.from, to: token.to,
            message: last ? T("this {0} closes the {1} of line {2}, which needs a {3}", token.text, last.text,
              lineOf(text, last.from), matching(last.text))
              : T("this {0} closes nothing: no {1} before it", token.text, CLOSING[token.text])});
        }
      }
    });
    open.forEach(function (token) {
      found.push({from: token.from, to: token.to,
        message: T("this {0} is never closed: a {1} is missing", token.text, matching(token.text))});
    });
    return found.sort(function (a, b) { return a.from - b.from; });
  }

  function closed(string) {
    const quote = /^("""|''')/.test(string) ? string.slice(0, 3) : string[0];
    return string.length >= 2 * quote.length && string.endsWith(quote);
  }

  function matching(bracket) {
    return {"{": "}", "(": ")", "[": "]"}[bracket];
  }

  function lineOf(text, offset) {
    return text.slice(0, offset).split("\n").length;
  }

  /** The offset of a 1-based line and column (the server counts characters, not UTF-16 units). */
  function offsetOf(text, line, column) {
    const lines = text.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) offset += lines[i].length + 1;
    const chars = Array.from(lines[Math.min(line, lines.length) - 1] || "").slice(0, Math.max(column - 1, 0));
    return Math.min(offset + chars.join("").length, text.length);
  }

  /** The endpoint's parse error in words at its place: {from, to, line, message}. ``error`` is
   * the endpoint's JSON ({error, line, column}); ``text`` the query as sent. */
  function explain(error, text, known) {
    const line = error.line;
    const problem = String(error.error || "").replace(/^malformed query: (line \d+, column \d+: )?/, "");
    if (!line) return {from: 0, to: 0, line: null, message: problem};
    const at = offsetOf(text, line, error.column || 1);
    // What the parser stumbled on is most often a word before the place it names (FILTR makes
    // it expect OPTIONAL further on): a problem of the text up to there, on its line first.
    const before = problems(text, known).filter(function (p) { return p.from <= at; });
    const sameLine = before.filter(function (p) { return lineOf(text, p.from) === line; });
    const found = sameLine.length ? sameLine[sameLine.length - 1] : before[before.length - 1];
    if (found) {
      return {from: found.from, to: found.to, line: lineOf(text, found.from),
        message: T("line {0}: {1}", lineOf(text, found.from), found.message)};
    }
    const token = tokens(text).find(function (t) { return t.to > at; });
    const from = token ? token.from : at;
    const to = token ? token.to : Math.min(at + 1, text.length);
    return {from: from, to: Math.max(to, from), line: line, message: T("line {0}: {1}", line, words(problem, token))};
  }

  // The parser's "expected one of ...", as a sentence.
  function words(problem, token) {
    const expected = problem.match(/^expected (?:one of )?([\s\S]*)$/);
    if (!expected) return problem;
    const wanted = expected[1].split(/,\s*/).map(function (w) { return w.replace(/^"|"$/g, ""); })
      .filter(function (w) { return w && !/[[\]]|Prefix not found/.test(w); });
    const what = token ? T("the query cannot be read from {0} on", token.text)
      : T("the query ends before it is complete");
    if (!wanted.length) return what;
    return T("{0} (the parser expected {1})", what, wanted.slice(0, 8).join(T(" or ")) +
      (wanted.length > 8 ? T(" or another") : ""));
  }

  window.SparqlWords = {
    KEYWORDS: KEYWORDS, FUNCTIONS: FUNCTIONS, tokens: tokens, form: form, problems: problems,
    explain: explain, nearestKeyword: nearestKeyword, offsetOf: offsetOf,
  };
})();
