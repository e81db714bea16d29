// Filters for the controls of audit-report.html. The filter state lives in the
// URL fragment (#fw=hipaa&resp=customer&status=missing&owner=...&due=30&q=...), so a
// filtered view is a link. The facets come from the JSON block, the search looks in
// each entry's text; nothing from either is ever parsed as markup.
(function () {
  "use strict";
  var source = document.getElementById("report-data");
  var form = document.getElementById("filters");
  if (!source || !form) return;
  var data = JSON.parse(source.textContent);
  var rows = data.controls.map(function (c) {
    return { el: document.getElementById(c[0]), fw: c[1], resp: c[2], status: c[3],
      owner: c[4], due: c[5], text: null };
  });
  var keys = ["fw", "resp", "status", "owner", "due", "q"];
  var fields = {};
  keys.forEach(function (k) { fields[k] = form.elements[k]; });
  var shown = document.getElementById("shown");
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));

  function stateFromFragment() {
    var hash = location.hash.slice(1);
    var state = {};
    if (hash.indexOf("=") < 0) return null; // an anchor, not a filter
    new URLSearchParams(hash).forEach(function (value, key) {
      if (keys.indexOf(key) >= 0) state[key] = value;
    });
    return state;
  }

  function stateFromForm() {
    var state = {};
    keys.forEach(function (k) {
      var v = fields[k].value.trim();
      if (v !== "") state[k] = v;
    });
    return state;
  }

  function matches(row, s, words, due) {
    if (s.fw && row.fw !== s.fw) return false;
    if (s.resp && row.resp !== s.resp) return false;
    if (s.status && row.status !== s.status) return false;
    if (s.owner && row.owner !== s.owner) return false;
    if (due !== null && (row.due === null || row.due > due)) return false;
    if (words.length && row.text === null) row.text = row.el ? row.el.textContent.toLowerCase() : "";
    for (var i = 0; i < words.length; i++) {
      if (row.text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  function apply(s) {
    var words = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
    var due = /^-?\d+$/.test(s.due || "") ? parseInt(s.due, 10) : null;
    var count = 0;
    rows.forEach(function (row) {
      var ok = matches(row, s, words, due);
      if (ok) count++;
      if (row.el && row.el.hidden === ok) row.el.hidden = !ok;
    });
    groups.forEach(function (g) {
      g.hidden = g.querySelector("article.control:not([hidden])") === null;
    });
    shown.textContent = count + " of " + rows.length + " controls";
  }

  function fillForm(s) {
    keys.forEach(function (k) { fields[k].value = s[k] || ""; });
  }

  function fromFragment() {
    var s = stateFromFragment();
    if (s === null) { apply(stateFromForm()); return; }
    fillForm(s);
    apply(stateFromForm());
  }

  function fromForm() {
    var s = stateFromForm();
    var fragment = new URLSearchParams(s).toString();
    history.replaceState(null, "", fragment ? "#" + fragment : location.pathname + location.search);
    apply(s);
  }

  form.addEventListener("input", fromForm);
  form.addEventListener("change", fromForm);
  form.addEventListener("submit", function (e) { e.preventDefault(); fromForm(); });
  form.addEventListener("reset", function () { setTimeout(fromForm, 0); });
  window.addEventListener("hashchange", fromFragment);
  form.hidden = false;
  fromFragment();
  // A shared link to a filtered view opens on the controls it shows.
  if (stateFromFragment() !== null) document.getElementById("controls").scrollIntoView();
  // Nothing is fetched: the page states how many resources it loaded, for anyone checking.
  window.addEventListener("load", function () {
    var loaded = performance.getEntriesByType("resource").length;
    document.documentElement.setAttribute("data-resources-loaded", String(loaded));
  });
})();
