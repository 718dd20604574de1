// Autocomplete for every input that has data-suggest (the kind of thing it takes, or "" for
// anything) and a <datalist>: the names the search index suggests for what is typed, from
// /search/suggest. Options are made with textContent and value only (nothing is read as HTML).
(function () {
  "use strict";
  var WAIT_MS = 150;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var pending = null;
    var shown = "";

    function fill(suggestions) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      suggestions.forEach(function (s) {
        var option = document.createElement("option");
        option.value = s.value;
        var words = window.HabitatWords;
        var ordered = words && words.lang() === "zh" ? [s.label_zh, s.label] : [s.label, s.label_zh];
        var names = ordered.filter(function (n) { return n && n !== s.value; });
        option.textContent = names.concat(s.type ? [words ? words.t(s.type) : s.type] : []).join(" · ");
        list.appendChild(option);
      });
    }

    function ask() {
      var typed = input.value.trim();
      if (!typed || typed === shown) { return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = "/search/suggest?q=" + encodeURIComponent(typed.slice(0, 200));
      var kind = input.getAttribute("data-suggest");
      if (kind) { url += "&type=" + encodeURIComponent(kind); }
      fetch(url, { signal: pending.signal, headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (answer) { shown = typed; fill(answer.suggestions || []); })
        .catch(function () { /* a newer request replaced this one, or the server is gone */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
  }

  function start() {
    document.querySelectorAll("input[data-suggest][list]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
