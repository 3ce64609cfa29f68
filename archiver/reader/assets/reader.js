// The offline reader's "Imprimer" button: prints the page (the stylesheet's print rules leave out the navigation).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button.print"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

// The offline reader's search: words of a title or a text, accents and case aside, every word required
// (a word matches the start of a word of the post). Ours, no framework; the index is assets/search-index.js.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var count = document.getElementById("count");
  if (!input || !results || !window.ARCHIVE_INDEX) { return; }

  function fold(text) {
    return text.replace(/œ/g, "oe").replace(/Œ/g, "Oe").replace(/æ/g, "ae").replace(/Æ/g, "Ae")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function has(words, word) {
    return (" " + words).indexOf(" " + word) !== -1;
  }

  function search(query) {
    var words = fold(query).match(/[\p{L}\p{N}_]{2,}/gu) || [];
    if (!words.length) { return []; }
    var hits = [];
    window.ARCHIVE_INDEX.forEach(function (entry) {
      var inTitle = 0;
      for (var i = 0; i < words.length; i++) {
        var title = has(entry[3], words[i]);
        if (!title && !has(entry[4], words[i])) { return; }
        if (title) { inTitle += 1; }
      }
      hits.push({ entry: entry, score: inTitle });
    });
    hits.sort(function (a, b) { return b.score - a.score || (b.entry[2] > a.entry[2] ? 1 : b.entry[2] < a.entry[2] ? -1 : 0); });
    return hits;
  }

  function show() {
    var query = input.value;
    var hits = search(query);
    results.textContent = "";
    hits.slice(0, 100).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry[0];
      link.textContent = hit.entry[1];
      var date = document.createElement("span");
      date.className = "date";
      date.textContent = " " + (hit.entry[5] || "sans date");
      item.appendChild(link);
      item.appendChild(date);
      results.appendChild(item);
    });
    count.textContent = query.trim() ? hits.length + (hits.length > 1 ? " notes" : " note") + (hits.length > 100 ? " (les 100 premières)" : "") : "";
    if (history.replaceState) { history.replaceState(null, "", "#" + encodeURIComponent(query)); }
  }

  input.addEventListener("input", show);
  if (location.hash.length > 1) {
    input.value = decodeURIComponent(location.hash.slice(1));
    show();
  }
})();
