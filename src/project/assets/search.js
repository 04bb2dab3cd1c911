// bindery's offline site search: no server, works from file://. search-index.js (loaded
// before this file) sets window.BINDERY_SEARCH to one entry per page:
// {t: title, u: url, h: [[id, heading], ...], x: plain text}.
(function () {
  "use strict";
  var pages = window.BINDERY_SEARCH || [];
  var form = document.querySelector("form.search");
  var results = document.getElementById("search-results");
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  if (form && query) {
    form.elements.q.value = query;
  }
  if (!results) {
    return;
  }
  var terms = query.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });

  function count(haystack, needle) {
    var n = 0;
    var at = haystack.indexOf(needle);
    while (at !== -1) {
      n += 1;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return n;
  }

  function element(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function snippet(text, lower) {
    var at = lower.indexOf(terms[0]);
    var start = Math.max(0, at - 80);
    var end = Math.min(text.length, at + 160);
    return (start > 0 ? "…" : "") + text.slice(start, end).replace(/\s+/g, " ") +
      (end < text.length ? "…" : "");
  }

  if (terms.length === 0) {
    results.appendChild(element("p", "Type words to look for in the search box."));
    return;
  }
  var found = [];
  pages.forEach(function (page) {
    var title = page.t.toLowerCase();
    var text = page.x.toLowerCase();
    var score = 0;
    for (var i = 0; i < terms.length; i++) {
      var inTitle = count(title, terms[i]);
      var inText = count(text, terms[i]);
      if (inTitle + inText === 0) {
        return;
      }
      score += 10 * inTitle + inText;
    }
    // The first heading whose text holds the first term takes the reader closer.
    var url = page.u;
    for (var h = 0; h < page.h.length; h++) {
      if (page.h[h][1].toLowerCase().indexOf(terms[0]) !== -1) {
        url = page.u + "#" + page.h[h][0];
        break;
      }
    }
    found.push({ page: page, score: score, url: url, text: text });
  });
  found.sort(function (a, b) { return b.score - a.score || (a.page.t < b.page.t ? -1 : 1); });
  var heading = found.length === 1 ? "1 page" : found.length + " pages";
  results.appendChild(element("p", heading + " for “" + query + "”", { "class": "search-count" }));
  var list = element("ol", null, { "class": "search-list" });
  found.slice(0, 100).forEach(function (hit) {
    var item = element("li");
    item.appendChild(element("a", hit.page.t, { href: hit.url }));
    item.appendChild(element("p", snippet(hit.page.x, hit.text), { "class": "search-snippet" }));
    list.appendChild(item);
  });
  results.appendChild(list);
})();
