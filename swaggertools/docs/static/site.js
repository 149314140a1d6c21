/* swaggertools docs: search and small helpers. Progressive enhancement only: every page
   reads and navigates without this file. No eval, no network, no inline code. */
(function () {
  "use strict";
  var form = document.getElementById("st-search");
  var input = document.getElementById("st-q");
  var list = document.getElementById("st-results");
  var MAX = 50;
  var parts = [];     // per part number: its rows [haystack, kind, page, anchor, title, sub, id, mes]
  var rows = null;   // every row of the parts in so far, in part order
  var taken = 0, expected = -1, loading = false;

  function norm(s) { return String(s || "").toLowerCase(); }

  function ingest(part) {
    var pages = part[0], items = part[1], out = [];
    for (var i = 0; i < items.length; i++) {
      var r = items[i];
      var page = pages[r[1]], anchor = r[2] || "";
      if (r[0] === 0) {
        var method = r[3] || "", path = r[4] || "", summary = r[5] || "",
            id = r[6] || "", mes = r[7] || "", tag = r[8] || "";
        out.push([norm(id + "\n" + mes + "\n" + path + "\n" + summary + "\n" + tag),
                  0, page, anchor, method.toUpperCase() + " " + path,
                  [summary, id, mes, tag].filter(Boolean).join(" · "), norm(id), norm(mes)]);
      } else {
        out.push([norm(r[4]), 1, page, anchor, r[4] || "", "schema", norm(r[4]), ""]);
      }
    }
    parts[part[2] || 0] = out;
  }

  // Search each part as it arrives: a first query shows results from the parts already in
  // instead of waiting for all of them (~2 MB at 20,000 operations).
  function take() {
    var got = window.STS || [];
    for (; taken < got.length; taken++) { ingest(got[taken]); }
    rows = [];
    for (var p = 0; p < parts.length; p++) {
      if (parts[p]) { rows = rows.concat(parts[p]); }
    }
    if (input.value) { search(); }
  }

  function complete() { return taken >= expected; }

  function load() {
    if (loading || !form) { return; }
    loading = true;
    expected = parseInt(form.getAttribute("data-index") || "0", 10);
    if (!expected) { take(); return; }
    for (var i = 0; i < expected; i++) {
      var s = document.createElement("script");
      s.src = "assets/search-" + i + ".js";
      s.onload = s.onerror = take;
      document.head.appendChild(s);
    }
  }

  function rank(row, q, terms) {
    if (row[6] === q || row[7] === q) { return 0; }
    if (row[6].indexOf(q) === 0 || row[7].indexOf(q) === 0 ||
        (row[7] && row[7].indexOf("factmes.api." + q) === 0)) { return 1; }
    return row[0].indexOf(q) >= 0 ? 2 : 3 + terms;
  }

  function search() {
    var q = norm(input.value).trim();
    list.textContent = "";
    if (!q || !rows) { return; }
    var terms = q.split(/\s+/), hits = [];
    for (var i = 0; i < rows.length; i++) {
      var hay = rows[i][0], ok = true;
      for (var t = 0; t < terms.length; t++) {
        if (hay.indexOf(terms[t]) < 0) { ok = false; break; }
      }
      if (ok) { hits.push([rank(rows[i], q, terms.length), i]); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var frag = document.createDocumentFragment();
    for (var h = 0; h < hits.length && h < MAX; h++) {
      var row = rows[hits[h][1]], li = document.createElement("li"), a = document.createElement("a");
      a.href = row[2] + "#" + encodeURIComponent(row[3]).replace(/%2F/g, "/");
      a.textContent = row[4];
      var sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = row[5];
      a.appendChild(sub);
      li.appendChild(a);
      frag.appendChild(li);
    }
    if (!hits.length && !complete()) { return; }  // more parts to come: no "No match" yet
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No match";
      none.className = "sub";
      frag.appendChild(none);
    } else if (hits.length > MAX) {
      var more = document.createElement("li");
      more.className = "sub";
      more.textContent = (hits.length - MAX) + " more: refine the search";
      frag.appendChild(more);
    }
    list.appendChild(frag);
  }

  if (input && list) {
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { load(); search(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; list.textContent = ""; }
      if (e.key === "Enter") {
        e.preventDefault();
        var first = list.querySelector("a");
        if (first) { window.location.href = first.href; }
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    window.swaggertoolsSearch = function (q) { input.value = q; search(); return list; };
    // Load the index in the background once the page has loaded, so the first query
    // does not wait for ~2 MB of parts (20,000 operations). Dynamic scripts are async and
    // start after the load event: DOMContentLoaded and first paint never wait for them.
    var later = function () {
      if (window.requestIdleCallback) { window.requestIdleCallback(load, {timeout: 1000}); }
      else { setTimeout(load, 50); }
    };
    if (document.readyState === "complete") { later(); }
    else { window.addEventListener("load", later); }
  }

  // Copy buttons for paths (only where the clipboard API exists).
  if (navigator.clipboard) {
    var paths = document.querySelectorAll(".op-path");
    for (var i = 0; i < paths.length; i++) {
      (function (code) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "copy";
        b.textContent = "Copy";
        b.setAttribute("aria-label", "Copy path " + code.textContent);
        b.addEventListener("click", function () {
          navigator.clipboard.writeText(code.textContent).then(function () {
            b.textContent = "Copied";
            setTimeout(function () { b.textContent = "Copy"; }, 1200);
          });
        });
        code.parentNode.appendChild(b);
      })(paths[i]);
    }
  }
})();
