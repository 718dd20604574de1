/* The query editor: CodeMirror 6 (server/static/vendor/codemirror) with the SPARQL mode, the
 * problems of sparql-words.js marked in the gutter as one types, the endpoint's parse error
 * marked at its place, and completion of keywords, prefixes, the ontology's classes and
 * properties (/query/vocabulary) and things by name (the search's /search/suggest).
 * window.SparqlEditor.create(parent, options). Requests go to this site only. */
(function () {
  "use strict";
  const CM = window.CodeMirror;
  const Words = window.SparqlWords;
  const T = window.HabitatWords ? window.HabitatWords.t : function (text) {
    const values = arguments;
    return text.replace(/\{(\d+)\}/g, function (whole, n) { return String(values[+n + 1]); });
  };

  // Where things are looked up by name (the search's autocomplete).
  const NAME_SOURCE = "/search/suggest";
  const NAME_PAUSE_MS = 150;

  // ``iri`` as the query may write it: prefix:local (a slash written \/) or <iri>.
  function iriTerm(iri, prefixes) {
    let best = null;
    Object.keys(prefixes).forEach(function (name) {
      const space = prefixes[name];
      if (iri.indexOf(space) === 0 && (!best || space.length > prefixes[best].length)) best = name;
    });
    if (best !== null) {
      const local = iri.slice(prefixes[best].length);
      if (/^[A-Za-z0-9_](?:[A-Za-z0-9_\-/.]*[A-Za-z0-9_\-/])?$/.test(local)) {
        return best + ":" + local.replace(/\//g, "\\/");
      }
    }
    return "<" + iri + ">";
  }

  function infoNode(lines) {
    const box = document.createElement("div");
    box.className = "completion-info";
    lines.filter(Boolean).forEach(function (line) {
      const p = document.createElement("div");
      p.textContent = line;
      box.appendChild(p);
    });
    return box;
  }

  // The page's look inside the editor's shadow root (the page's style sheets stop at it; its
  // CSS variables do not).
  const THEME = CM.EditorView.theme({
    "&": {height: "100%", fontSize: "14px", backgroundColor: "var(--paper, #fff)", color: "var(--ink, #1d2733)"},
    "&.cm-focused": {outline: "2px solid rgba(10, 111, 179, .35)"},
    ".cm-scroller": {fontFamily: "var(--mono, monospace)", lineHeight: "1.45"},
    ".cm-gutters": {backgroundColor: "var(--wash, #f4f7fa)", borderRight: "1px solid var(--line, #d6dee6)",
      color: "var(--muted, #5b6b7c)"},
    ".cm-tooltip": {fontFamily: "var(--sans, sans-serif)", fontSize: "13px"},
    ".cm-tooltip.cm-completionInfo": {maxWidth: "28rem"},
    ".cm-completionDetail": {color: "var(--muted, #5b6b7c)", marginLeft: "1em"},
    ".cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail": {color: "#e8f1f8"},
    ".completion-info div": {overflowWrap: "anywhere"},
    ".completion-info div + div": {color: "var(--muted, #5b6b7c)", fontSize: "12px"},
    ".cm-diagnostic": {fontFamily: "var(--sans, sans-serif)"},
  });

  // A new line keeps the indentation of the line before it, two more after an opening bracket
  // and two less on a closing one (the SPARQL mode's own rule lines up with the words above).
  const INDENT = CM.indentService.of(function (context, pos) {
    const here = context.lineAt(pos, 1);
    let line = context.lineAt(pos, -1);
    while (line.from > 0 && !line.text.trim()) line = context.lineAt(line.from - 1, -1);
    const before = line.from === here.from ? "" : line.text.replace(/#[^"'<>]*$/, "").trimEnd();
    let width = /^\s*/.exec(line.text)[0].length;
    if (/[{(\[]$/.test(before)) width += 2;
    if (/^\s*[})\]]/.test(context.textAfterPos(pos))) width -= 2;
    return Math.max(width, 0);
  });

  function create(parent, options) {
    const prefixes = options.prefixes || {};
    let vocabulary = [];
    let serverProblem = null;  // {text, from, to, message}: the endpoint's error, while the text is the same

    fetch(options.vocabularyUrl || "/query/vocabulary", {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {terms: []}; })
      .then(function (data) { vocabulary = data.terms || []; })
      .catch(function () { /* completion of terms is a help; keywords and prefixes stay */ });

    function termOption(term) {
      return {
        label: term.curie,
        detail: [term.label, term.labelZh].filter(Boolean).join(" · "),
        type: term.kind === "class" ? "class" : "property",
        info: function () {
          return infoNode([term.comment, term.domains && term.domains.length ? T("domain: {0}", term.domains.join(", ")) : "",
            term.ranges && term.ranges.length ? T("range: {0}", term.ranges.join(", ")) : "", term.iri]);
        },
      };
    }

    function matchesTerm(term, typed) {
      const folded = typed.toLowerCase();
      const local = term.curie.slice(term.curie.indexOf(":") + 1).toLowerCase();
      return local.indexOf(folded) === 0 || term.curie.toLowerCase().indexOf(folded) === 0 ||
        (term.label || "").toLowerCase().indexOf(folded) >= 0 || (term.labelZh || "").indexOf(typed) >= 0;
    }

    // Whether the place is inside a string, an IRI or a comment (nothing is completed there).
    function inText(state, pos) {
      const before = state.doc.sliceString(Math.max(0, pos - 20000), pos);
      const last = Words.tokens(before).pop();
      return !!last && last.to === before.length &&
        (last.kind === "comment" || (last.kind === "string" && !/^(["']).*\1$/.test(last.text)) ||
         (last.kind === "punct" && last.text === "<"));
    }

    // Keywords, prefixes and terms: everything but the names, which are asked of the server.
    function wordSource(context) {
      if (inText(context.state, context.pos)) return null;
      const line = context.state.doc.lineAt(context.pos);
      const before = line.text.slice(0, context.pos - line.from);
      const declaring = before.match(/PREFIX\s+([A-Za-z][\w.-]*)?:?$/i);
      if (declaring) {
        const from = context.pos - (declaring[0].length - declaring[0].search(/\S+$/));
        return {
          from: /PREFIX$/i.test(declaring[0]) ? context.pos : from,
          options: Object.keys(prefixes).map(function (name) {
            return {label: name + ":", apply: name + ": <" + prefixes[name] + ">", type: "namespace",
              detail: prefixes[name]};
          }),
        };
      }
      const pname = context.matchBefore(/(?:[A-Za-z][\w.-]*)?:[\w\-.\\/]*$/);
      if (pname) {
        const prefix = pname.text.slice(0, pname.text.indexOf(":"));
        const terms = vocabulary.filter(function (t) { return t.curie.indexOf(prefix + ":") === 0; });
        return {from: pname.from, options: terms.map(termOption), validFor: /^[\w:.-]*$/};
      }
      const variable = context.matchBefore(/[?$][\w]*$/);
      if (variable) {
        const seen = new Set();
        Words.tokens(context.state.doc.toString()).forEach(function (t) {
          if (t.kind === "var" && t.from !== variable.from) seen.add("?" + t.text.slice(1));
        });
        return {from: variable.from, options: Array.from(seen).map(function (v) {
          return {label: v, type: "variable"};
        })};
      }
      const word = context.matchBefore(/[\p{L}_][\p{L}\p{N}_-]*$/u);
      if (!word && !context.explicit) return null;
      const typed = word ? word.text : "";
      const keywords = Words.KEYWORDS.concat(Words.FUNCTIONS)
        .filter(function (k) { return k.indexOf(typed.toUpperCase()) === 0; })
        .map(function (k) { return {label: k, type: "keyword", boost: 1}; });
      const terms = typed ? vocabulary.filter(function (t) { return matchesTerm(t, typed); }).map(termOption) : [];
      return {from: word ? word.from : context.pos, options: keywords.concat(terms), filter: false};
    }

    function askNames(text) {
      // a server without an index yet (503) offers no names: completion of terms stays
      return fetch(NAME_SOURCE + "?q=" + encodeURIComponent(text) + "&limit=10", {headers: {"Accept": "application/json"}})
        .then(function (response) {
          return response.ok ? response.json().then(function (data) { return data.suggestions || []; }) : [];
        });
    }

    // Things by name: after "id:", or words (Chinese ones too) that start a term of the query;
    // leading keywords are not part of the name ("a Nairobi" looks up Nairobi).
    function nameSource(context) {
      if (inText(context.state, context.pos)) return null;
      const typed = context.matchBefore(/(?<=^|[\s({,;])(?:id:)?[\p{L}\p{N}][\p{L}\p{N}_\- ]*$/u);
      if (!typed || / $/.test(typed.text)) return null;
      const words = typed.text.replace(/^id:/, "").split(" ");
      while (words.length > 1 && (words[0] === "a" || Words.KEYWORDS.concat(Words.FUNCTIONS)
        .indexOf(words[0].toUpperCase()) >= 0 || !words[0])) words.shift();
      const text = words.join(" ");
      const from = context.pos - (/^id:/.test(typed.text) && text === typed.text.slice(3) ? typed.text.length : text.length);
      if (Array.from(text).length < 2) return null;
      if (/^[A-Z_]+$/.test(text) && Words.KEYWORDS.concat(Words.FUNCTIONS).some(function (k) { return k.indexOf(text) === 0; })) {
        return null;  // a keyword being typed in capitals
      }
      return new Promise(function (resolve) { setTimeout(resolve, NAME_PAUSE_MS); }).then(function () {
        if (context.aborted) return null;
        return askNames(text).then(function (results) {
          return {
            from: from,
            filter: false,
            options: results.slice(0, 10).map(function (thing) {
              // the name that matched what was typed (``value``), else the English name
              const label = thing.value || thing.label || thing.label_zh || thing.iri;
              const other = [thing.label, thing.label_zh].filter(function (n) { return n && n !== label; });
              return {
                label: label,
                detail: [thing.type ? T(thing.type) : ""].concat(other).filter(Boolean).join(" · "),
                type: "constant",
                apply: iriTerm(thing.iri, prefixes),
                info: function () { return infoNode([thing.iri, thing.snippet || ""]); },
              };
            }),
          };
        }).catch(function () { return null; });
      });
    }

    function lintSource(view) {
      const text = view.state.doc.toString();
      const found = Words.problems(text, prefixes).map(function (p) {
        return {from: p.from, to: p.to, severity: "error", message: p.message, source: "SPARQL"};
      });
      if (serverProblem && serverProblem.text === text &&
          !found.some(function (p) { return p.from === serverProblem.from; })) {
        found.push({from: serverProblem.from, to: serverProblem.to, severity: "error",
          message: serverProblem.message, source: "endpoint"});
      }
      if (options.onProblems) options.onProblems(found);
      return found;
    }

    const runKeys = CM.keymap.of([
      {key: "Mod-Enter", run: function () { if (options.onRun) options.onRun(); return true; }},
    ]);
    // In a shadow root, CodeMirror's styles are constructed style sheets, which the page's
    // Content-Security-Policy (style-src 'self', no inline style) allows; in the document it
    // would write <style> elements, which the policy refuses.
    const root = parent.attachShadow({mode: "open"});
    const view = new CM.EditorView({
      parent: root,
      root: root,
      state: CM.EditorState.create({
        doc: options.doc || "",
        extensions: [
          CM.Prec.highest(runKeys),
          CM.lineNumbers(), CM.highlightActiveLineGutter(), CM.highlightSpecialChars(),
          CM.history(), CM.drawSelection(), CM.indentOnInput(), CM.bracketMatching(),
          CM.closeBrackets(), CM.highlightActiveLine(), CM.highlightSelectionMatches(),
          CM.syntaxHighlighting(CM.defaultHighlightStyle, {fallback: true}),
          CM.StreamLanguage.define(CM.sparql), CM.Prec.high(INDENT),
          CM.autocompletion({override: [wordSource, nameSource], activateOnTyping: true, maxRenderedOptions: 60}),
          CM.linter(lintSource, {delay: 300}),
          CM.lintGutter(),
          THEME,
          CM.keymap.of([].concat(CM.closeBracketsKeymap, CM.defaultKeymap, CM.searchKeymap,
            CM.historyKeymap, CM.completionKeymap, CM.lintKeymap, [CM.indentWithTab])),
          CM.EditorView.updateListener.of(function (update) {
            if (update.docChanged && options.onChange) options.onChange(view.state.doc.toString());
          }),
          CM.EditorView.contentAttributes.of({"aria-label": "SPARQL query", spellcheck: "false",
            autocapitalize: "off", autocorrect: "off"}),
        ],
      }),
    });

    return {
      view: view,
      getValue: function () { return view.state.doc.toString(); },
      setValue: function (text) {
        serverProblem = null;
        view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}});
      },
      focus: function () { view.focus(); },
      /** Mark the endpoint's parse error (its JSON) for ``text``, the query as sent; the
       * message in words, or null when the text has changed since. */
      showServerError: function (error, text) {
        if (text !== view.state.doc.toString()) return null;
        const place = Words.explain(error, text, prefixes);
        serverProblem = {text: text, from: place.from, to: Math.max(place.to, place.from), message: place.message};
        CM.forceLinting(view);
        return place.message;
      },
    };
  }

  window.SparqlEditor = {create: create, iriTerm: iriTerm};
})();
