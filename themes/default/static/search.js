/* planpress site search: no dependencies, no external service.
   Loads /<lang>/search-index.json (written by `planpress build`) on first use, ranks pages with
   BM25 over term frequencies plus a bonus for a match in the title or a heading (ignoring stop
   terms, those in most pages; a query of nothing else is matched by its text, titles first), and
   shows results with the match highlighted in a snippet. Index format: see src/render/search.rs. Works by keyboard: Enter submits to the
   search page; ↓/↑ move through the results; Esc closes the list.
   The tokeniser and the Porter stemmer below mirror src/render/search.rs (tests check they agree). */
(function () {
  "use strict";

  var STOP = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its",
    "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "which", "will", "with", "within", "s", "t"];

  function isHan(cp) {
    return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3134f);
  }
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var NUMERIC = /^\p{N}+$/u;

  /* Runs of hanzi [true, run] and of other letters/digits [false, word], with their offsets. */
  function runs(text) {
    var out = [], cur = null, i = 0;
    for (var ch of text) {
      var han = isHan(ch.codePointAt(0));
      var kind = han ? 1 : (WORD.test(ch) ? 2 : 0);
      if (kind && cur && cur.kind === kind) {
        cur.text += ch;
      } else {
        if (cur) out.push(cur);
        cur = kind ? { kind: kind, text: ch, start: i } : null;
      }
      i += ch.length;
    }
    if (cur) out.push(cur);
    return out;
  }

  function wordToken(word) {
    var lower = word.toLowerCase();
    if (STOP.indexOf(lower) >= 0 || (Array.from(lower).length === 1 && !NUMERIC.test(lower))) return null;
    return /^[a-z]+$/.test(lower) ? stem(lower) : lower;
  }

  /* ---------- Porter stemmer (1980, original rules), as in search.rs ---------- */
  function cons(w, i) {
    var c = w[i];
    if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
    if (c === "y") return i === 0 || !cons(w, i - 1);
    return true;
  }
  function measure(w) {
    var m = 0, i = 0, n = w.length;
    while (i < n && cons(w, i)) i++;
    for (;;) {
      while (i < n && !cons(w, i)) i++;
      if (i >= n) return m;
      while (i < n && cons(w, i)) i++;
      m++;
    }
  }
  function hasVowel(w) {
    for (var i = 0; i < w.length; i++) if (!cons(w, i)) return true;
    return false;
  }
  function doubleC(w) {
    var n = w.length;
    return n >= 2 && w[n - 1] === w[n - 2] && cons(w, n - 1);
  }
  function cvc(w) {
    var n = w.length;
    return n >= 3 && cons(w, n - 3) && !cons(w, n - 2) && cons(w, n - 1) && "wxy".indexOf(w[n - 1]) < 0;
  }
  function ends(w, s) {
    return w.length >= s.length && w.slice(w.length - s.length) === s;
  }
  function replaceFirst(w, rules) {
    for (var i = 0; i < rules.length; i++) {
      var suf = rules[i][0];
      if (ends(w, suf)) {
        var st = w.slice(0, w.length - suf.length);
        return measure(st) > 0 ? st + rules[i][1] : w;
      }
    }
    return w;
  }
  var STEP2 = [["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"], ["abli", "able"],
    ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"], ["ization", "ize"], ["ation", "ate"], ["ator", "ate"],
    ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"]];
  var STEP3 = [["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""]];
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
    "ous", "ive", "ize"];

  function stem(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    var w = word;
    if (ends(w, "sses") || ends(w, "ies")) w = w.slice(0, -2);
    else if (!ends(w, "ss") && ends(w, "s")) w = w.slice(0, -1);
    if (ends(w, "eed")) {
      if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
    } else {
      var cut = ends(w, "ed") && hasVowel(w.slice(0, -2)) ? 2 : (ends(w, "ing") && hasVowel(w.slice(0, -3)) ? 3 : 0);
      if (cut) {
        w = w.slice(0, -cut);
        if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) w += "e";
        else if (doubleC(w) && "lsz".indexOf(w[w.length - 1]) < 0) w = w.slice(0, -1);
        else if (measure(w) === 1 && cvc(w)) w += "e";
      }
    }
    if (ends(w, "y") && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + "i";
    w = replaceFirst(w, STEP2);
    w = replaceFirst(w, STEP3);
    for (var i = 0; i < STEP4.length; i++) {
      var suf = STEP4[i];
      if (ends(w, suf)) {
        var st = w.slice(0, w.length - suf.length);
        var ionOk = suf !== "ion" || (st.length > 0 && "st".indexOf(st[st.length - 1]) >= 0);
        if (ionOk && measure(st) > 1) w = st;
        break;
      }
    }
    if (ends(w, "e")) {
      var s5 = w.slice(0, -1), m = measure(s5);
      if (m > 1 || (m === 1 && !cvc(s5))) w = s5;
    }
    if (measure(w) > 1 && ends(w, "ll")) w = w.slice(0, -1);
    return w;
  }

  /* Tokens of a text as indexed (hanzi bigrams, a lone hanzi by itself, words). */
  function tokenize(text) {
    var out = [];
    runs(text).forEach(function (r) {
      if (r.kind === 1) {
        var cs = Array.from(r.text);
        if (cs.length === 1) out.push(cs[0]);
        for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
      } else {
        var t = wordToken(r.text);
        if (t) out.push(t);
      }
    });
    return out;
  }

  /* Tokens a query is looked up by: bigrams of a hanzi run (or the single hanzi), words. */
  function queryTokens(q) {
    var out = [];
    runs(q).forEach(function (r) {
      var toks = [];
      if (r.kind === 2) {
        var t = wordToken(r.text);
        if (t) toks.push(t);
      } else {
        var cs = Array.from(r.text);
        if (cs.length === 1) toks.push(cs[0]);
        for (var i = 0; i + 1 < cs.length; i++) toks.push(cs[i] + cs[i + 1]);
      }
      toks.forEach(function (t) { if (out.indexOf(t) < 0) out.push(t); });
    });
    return out;
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /* The postings of an indexed term as [doc, posting, doc, posting…]. Version 2 stores, for each
     page, the gap to the previous page's id (the first: its id) times 2, plus 1 when its posting
     follows; otherwise the posting is 1 << 2 (once in the text only). Decoded once, cached. */
  function termList(index, term) {
    if (!has(index.terms, term)) return null;
    var cached = index.decoded || (index.decoded = {});
    if (cached[term]) return cached[term];
    var raw = index.terms[term], list = raw;
    if ((index.version || 1) >= 2) {
      list = [];
      for (var i = 0, doc = 0; i < raw.length; i++) {
        doc += Math.floor(raw[i] / 2);
        list.push(doc, raw[i] % 2 ? raw[++i] : 4);
      }
    }
    cached[term] = list;
    return list;
  }

  /* Whether a query token is a stop term: in more than half the pages, so left out of the index
     (a large site only) and ignored when matching. A single hanzi is one when it is listed, or
     when a listed bigram contains it (it is then in at least as many pages). */
  function isStop(index, tok) {
    var stop = index.stop || [];
    if (!stop.length) return false;
    if (!index.stopSet) {
      index.stopSet = {};
      stop.forEach(function (t) { index.stopSet[t] = true; });
    }
    if (index.stopSet[tok]) return true;
    var chars = Array.from(tok);
    if (chars.length !== 1 || !isHan(tok.codePointAt(0))) return false;
    return stop.some(function (t) {
      var cs = Array.from(t);
      return cs.length === 2 && (cs[0] === tok || cs[1] === tok);
    });
  }

  /* The postings of a token. A single hanzi is not indexed where it has neighbours: its postings
     are gathered from the bigrams that begin or end with it (an occurrence inside a run is in one
     or both), tf = the larger of the two counts plus its lone occurrences. Cached per index. */
  function postings(index, tok) {
    var own = termList(index, tok);
    var chars = Array.from(tok);
    if (chars.length !== 1 || !isHan(tok.codePointAt(0))) return own;
    index.singles = index.singles || {};
    if (has(index.singles, tok)) return index.singles[tok];
    var byDoc = {};
    function add(list, slot) {
      for (var i = 0; i < list.length; i += 2) {
        var e = byDoc[list[i]] || (byDoc[list[i]] = [0, 0, 0, 0]);
        e[slot] += list[i + 1] >> 2;
        e[3] |= list[i + 1] & 3;
      }
    }
    if (own) add(own, 2);
    Object.keys(index.terms).forEach(function (key) {
      if (key.length < 2 || key === tok) return;
      var cs = Array.from(key);
      if (cs.length !== 2) return;
      if (cs[0] === tok) add(termList(index, key), 0);
      if (cs[1] === tok) add(termList(index, key), 1);
    });
    var list = [];
    Object.keys(byDoc).map(Number).sort(function (a, b) { return a - b; }).forEach(function (d) {
      var e = byDoc[d];
      list.push(d, ((Math.max(e[0], e[1]) + e[2]) << 2) | e[3]);
    });
    index.singles[tok] = list.length ? list : null;
    return index.singles[tok];
  }

  /* A query made only of stop terms (so in most pages) is matched by its text instead: pages
     whose title contains it come first, then a heading, then the snippet text; among equals the
     page's boost, then site order. "Contains": every hanzi run as written, every word by its token. */
  function stopRank(index, q) {
    var hanzi = [], words = [];
    runs(q).forEach(function (r) {
      if (r.kind === 1) hanzi.push(r.text);
      else {
        var t = wordToken(r.text);
        if (t) words.push(t);
      }
    });
    function contains(text) {
      if (!text) return false;
      for (var i = 0; i < hanzi.length; i++) if (text.indexOf(hanzi[i]) < 0) return false;
      if (!words.length) return true;
      var found = wordSets[text];
      if (!found) {
        found = wordSets[text] = {};
        runs(text).forEach(function (r) { if (r.kind === 2) found[wordToken(r.text)] = true; });
      }
      return words.every(function (w) { return found[w]; });
    }
    var wordSets = index.wordSets || (index.wordSets = {});
    var out = [];
    index.docs.forEach(function (d, i) {
      var tier = contains(d.t) ? 3 : ((d.h || []).some(contains) ? 2 : (contains(d.x) ? 1 : 0));
      if (tier) out.push({ doc: d, id: i, score: tier * (d.w || 1), tier: tier, complete: true });
    });
    return out.sort(function (a, b) {
      return (b.tier - a.tier) || ((b.doc.w || 1) - (a.doc.w || 1)) || (a.id - b.id);
    });
  }

  /* Ranked results: pages with every query token first (BM25 score), then pages with most.
     Stop terms are ignored; a query of nothing else goes to stopRank. */
  function rank(index, q) {
    var all = queryTokens(q);
    if (!all.length) return [];
    var toks = all.filter(function (t) { return !isStop(index, t); });
    if (!toks.length) return stopRank(index, q);
    var docs = index.docs, N = docs.length, total = 0;
    docs.forEach(function (d) { total += d.n; });
    var avg = N ? total / N || 1 : 1;
    var p = index.rank || {}, k1 = p.k1 || 1.2, b = p.b === undefined ? 0.75 : p.b;
    var score = {}, hits = {};
    toks.forEach(function (tok) {
      var list = postings(index, tok);
      if (!list) return;
      var df = list.length / 2;
      var idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      for (var i = 0; i < list.length; i += 2) {
        /* posting = tf << 2 | in_title << 1 | in_heading */
        var d = list[i], v = list[i + 1], tf = v >> 2;
        var norm = 1 - b + b * docs[d].n / avg;
        var s = tf * (k1 + 1) / (tf + k1 * norm) + (v & 2 ? p.title || 0 : 0) + (v & 1 ? p.heading || 0 : 0);
        score[d] = (score[d] || 0) + idf * s * (docs[d].w || 1);
        hits[d] = (hits[d] || 0) + 1;
      }
    });
    return Object.keys(hits).map(Number).sort(function (a, b) {
      return (hits[b] - hits[a]) || (score[b] - score[a]) || (a - b);
    }).map(function (d) { return { doc: docs[d], id: d, score: score[d], complete: hits[d] === toks.length }; });
  }

  /* [start, end) ranges of `text` that match the query: hanzi runs of the query (or their bigrams),
     and words whose token equals a query word's token. */
  function matchRanges(text, q) {
    var ranges = [], needles = [], wordToks = [];
    runs(q).forEach(function (r) {
      if (r.kind === 1) {
        needles.push(r.text);
        var cs = Array.from(r.text);
        for (var i = 0; i + 1 < cs.length; i++) needles.push(cs[i] + cs[i + 1]);
      } else {
        var t = wordToken(r.text);
        if (t) wordToks.push(t);
      }
    });
    needles.forEach(function (n) {
      for (var at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + n.length)) ranges.push([at, at + n.length]);
    });
    if (wordToks.length) {
      runs(text).forEach(function (r) {
        if (r.kind === 2 && wordToks.indexOf(wordToken(r.text)) >= 0) ranges.push([r.start, r.start + r.text.length]);
      });
    }
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* Appends `text` to `el`, with the matches in <mark>. */
  function highlight(el, text, ranges) {
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] > pos) el.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(r[0], r[1]);
      el.appendChild(m);
      pos = r[1];
    });
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  /* A short extract of the page text around the first match. */
  function snippet(doc, q, size) {
    var text = doc.x || "";
    var ranges = matchRanges(text, q);
    var start = 0;
    if (ranges.length) start = Math.max(0, ranges[0][0] - Math.floor(size / 3));
    var end = Math.min(text.length, start + size);
    /* never cut a character outside the Basic Multilingual Plane in two */
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start++;
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end--;
    var part = text.slice(start, end);
    var shifted = ranges.filter(function (r) { return r[0] >= start && r[1] <= end; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    return { text: (start > 0 ? "…" : "") + part + (end < text.length ? "…" : ""), ranges: shifted.map(function (r) {
      return start > 0 ? [r[0] + 1, r[1] + 1] : r;
    }) };
  }

  /* ---------- the page ---------- */
  var cache = {};
  function loadIndex(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_, k) { return values[k] === undefined ? "" : values[k]; });
  }

  function resultItem(result, q, root, withSnippet) {
    var li = document.createElement("li");
    li.className = "search-result";
    var a = document.createElement("a");
    a.href = root + result.doc.u;
    a.className = "search-result-link";
    var title = document.createElement("span");
    title.className = "search-result-title";
    highlight(title, result.doc.t, matchRanges(result.doc.t, q));
    a.appendChild(title);
    li.appendChild(a);
    if (withSnippet) {
      var s = snippet(result.doc, q, withSnippet);
      if (s.text) {
        var p = document.createElement("p");
        p.className = "search-result-snippet";
        highlight(p, s.text, s.ranges);
        li.appendChild(p);
      }
    }
    return li;
  }

  function statusText(form, count, q) {
    if (!count) return format(form.getAttribute("data-msg-none"), { q: q });
    return format(form.getAttribute(count === 1 ? "data-msg-count-one" : "data-msg-count"), { n: count, q: q });
  }

  /* Renders the results of `q` into `list` (an <ol>) with `status` (a role=status element). */
  function show(form, list, status, q, limit, snippetSize) {
    var root = form.getAttribute("data-root") || "";
    q = q.trim();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q) {
      status.textContent = "";
      return Promise.resolve([]);
    }
    status.textContent = form.getAttribute("data-msg-loading") || "";
    return loadIndex(form.getAttribute("data-index")).then(function (index) {
      var results = rank(index, q);
      status.textContent = statusText(form, results.length, q);
      results.slice(0, limit).forEach(function (r) { list.appendChild(resultItem(r, q, root, snippetSize)); });
      return results;
    }, function () {
      status.textContent = form.getAttribute("data-msg-error") || "";
      form.setAttribute("data-search-error", "");
      return [];
    });
  }

  function links(list) {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  /* Arrow keys move between the input and the result links; Esc returns to the input. The
     header's combobox handles its own input's keys (listOnly). */
  function keyboard(input, list, onEscape, listOnly) {
    function move(from, delta) {
      var items = links(list);
      var i = items.indexOf(from);
      var next = i + delta;
      if (next < 0) input.focus();
      else if (next < items.length) items[next].focus();
    }
    if (!listOnly) input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && links(list).length) {
        e.preventDefault();
        links(list)[0].focus();
      } else if (e.key === "Escape" && onEscape) {
        onEscape();
      }
    });
    list.addEventListener("keydown", function (e) {
      if (e.target.tagName !== "A") return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        move(e.target, e.key === "ArrowDown" ? 1 : -1);
      } else if (e.key === "Escape") {
        e.preventDefault();
        input.focus();
        if (onEscape) onEscape();
      }
    });
  }

  /* The box in the header, a combobox (WAI-ARIA 1.2): a short list (a listbox) under it as you
     type. Focus stays in the box; ↓/↑ move the active option (aria-activedescendant), Enter opens
     it (or, with none active, submits to the search page), Esc closes the list. Tab reaches the
     links too, and ↓/↑ move between them as on the search page. */
  function headerBox(form) {
    var input = form.querySelector("input[name=q]");
    var popup = form.querySelector(".search-popup");
    var list = form.querySelector(".search-results");
    var status = form.querySelector(".search-status");
    var all = form.querySelector(".search-all");
    if (!input || !popup || !list || !status) return;
    var timer = null, active = -1;
    function setActive(i) {
      var items = links(list);
      active = i < 0 || i >= items.length ? -1 : i;
      items.forEach(function (a, j) { a.setAttribute("aria-selected", j === active ? "true" : "false"); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", items[active].id);
        if (items[active].scrollIntoView) items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function update() {
      var q = input.value;
      if (!q.trim()) { close(); return; }
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
      setActive(-1);
      show(form, list, status, q, 8, 0).then(function (results) {
        links(list).forEach(function (a, j) {
          a.id = list.id + "-" + j;
          a.setAttribute("role", "option");
          a.setAttribute("aria-selected", "false");
          a.parentNode.setAttribute("role", "none");
        });
        if (all) {
          all.hidden = results.length <= 8;
          all.href = form.action + "?q=" + encodeURIComponent(q.trim());
        }
      });
    }
    input.addEventListener("focus", function () { loadIndex(form.getAttribute("data-index")).catch(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 120);
    });
    input.addEventListener("keydown", function (e) {
      var n = links(list).length;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (popup.hidden) { if (input.value.trim()) update(); return; }
        if (!n) return;
        if (e.key === "ArrowDown") setActive(active + 1 < n ? active + 1 : 0);
        else setActive(active <= 0 ? -1 : active - 1);
      } else if (e.key === "Enter" && active >= 0 && !popup.hidden) {
        e.preventDefault();
        location.href = links(list)[active].href;
      } else if (e.key === "Escape") {
        close();
      }
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
    });
    keyboard(input, list, close, true);
  }

  /* The search page: all results for ?q=, each with a snippet. */
  function searchPage(form) {
    var input = form.querySelector("input[type=search]");
    var list = document.getElementById("search-page-results");
    var status = document.getElementById("search-page-status");
    if (!input || !list || !status) return;
    var nojs = document.querySelector(".search-nojs");
    if (nojs) nojs.hidden = true;
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    function run() {
      document.documentElement.setAttribute("data-search-state", "loading");
      show(form, list, status, input.value, 100, 160).then(function () {
        if (nojs && form.hasAttribute("data-search-error")) nojs.hidden = false;
        document.documentElement.setAttribute("data-search-state", "done");
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value.trim());
      history.replaceState(null, "", url);
      run();
    });
    keyboard(input, list, null);
    run();
  }

  var api = { tokenize: tokenize, queryTokens: queryTokens, stem: stem, rank: rank, postings: postings, isStop: isStop,
    matchRanges: matchRanges, snippet: snippet };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  window.planpressSearch = api;
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-search=header]"), headerBox);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-search=page]"), searchPage);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
