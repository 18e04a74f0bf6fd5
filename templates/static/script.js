/* Progressive enhancement only: without this script every document and every
   highlight is shown. Filters the document list, switches entity types, adds copy
   buttons to citations and starts Pagefind's search interface on the search page. */
(function () {
  "use strict";

  var ownScript = document.currentScript;  // null once the page has loaded

  function words(value) {
    return (value || "").split(" ").filter(Boolean);
  }

  function wide() {
    return Boolean(window.matchMedia && window.matchMedia("(min-width: 40rem)").matches);
  }

  function setUpFacets(root) {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".doc-card"));
    var buttons = Array.prototype.slice.call(root.querySelectorAll("[data-facet]"));
    var year = root.querySelector("[data-facet-year]");
    var count = root.querySelector("[data-facet-count]");
    var none = document.querySelector("[data-no-match]");
    var clear = root.querySelector("[data-facet-clear]");

    function update() {
      var wanted = buttons.filter(function (b) {
        return b.getAttribute("aria-pressed") === "true";
      });
      var shown = 0;
      cards.forEach(function (card) {
        var match = wanted.every(function (b) {
          return words(card.dataset[b.dataset.facet]).indexOf(b.dataset.value) !== -1;
        });
        if (year && year.value) {
          match = match && card.dataset.year === year.value;
        }
        card.hidden = !match;
        shown += match ? 1 : 0;
      });
      if (none) none.hidden = shown !== 0;
      if (clear) clear.hidden = wanted.length === 0 && !(year && year.value);
      if (count) {
        count.textContent = count.dataset.template
          .replace("{n}", String(shown))
          .replace("{total}", String(cards.length));
      }
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var pressed = button.getAttribute("aria-pressed") === "true";
        button.setAttribute("aria-pressed", pressed ? "false" : "true");
        update();
      });
    });
    if (year) year.addEventListener("change", update);
    if (clear) {
      clear.addEventListener("click", function () {
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        if (year) year.value = "";
        update();
      });
    }
    root.hidden = false;
    if (wide()) root.open = true;
    update();
  }

  function setUpToggles(list) {
    var text = document.querySelector("[data-doc-text]");
    if (!text) return;
    list.classList.add("is-interactive");
    Array.prototype.forEach.call(list.querySelectorAll("input[data-type]"), function (box) {
      box.hidden = false;
      box.addEventListener("change", function () {
        text.classList.toggle("hide-" + box.dataset.type, !box.checked);
      });
    });
  }

  // Quotes and names without a page of their own are not links; a tab stop lets the
  // keyboard reach them too, and focus shows who is speaking or what the name is.
  function makeHighlightsFocusable(text) {
    Array.prototype.forEach.call(text.querySelectorAll(".quote, span.ent"), function (mark) {
      mark.tabIndex = 0;
    });
  }

  function setUpSearch(root) {
    if (window.location.protocol === "file:" || typeof window.PagefindUI !== "function") {
      var note = document.querySelector("[data-search-file]");
      if (note && window.location.protocol === "file:") note.hidden = false;
      return;
    }
    // The bundle path comes from the script's own address, so subpaths just work. The
    // index's other shards are merged into it: one list of results, ranked together.
    var merged = (root.dataset.merge || "").split(" ").filter(Boolean).map(function (href) {
      return { bundlePath: new URL(href, window.location.href).pathname };
    });
    var options = {
      mergeIndex: merged,
      element: "#" + root.id,
      showSubResults: true,
      showImages: false,
      autofocus: true,
      // Open on wide screens only: on a phone the open list would push results down.
      openFilters: wide() ? [root.dataset.openFilter] : []
    };
    var input = null;
    var ui = null;
    var cutter = null;
    var hooked = Promise.resolve();
    // Japanese counts each segment as a word: without more of them an excerpt is a few words long.
    if (root.dataset.excerptWords) {
      options.excerptLength = Number(root.dataset.excerptWords);
      options.processResult = function (result) {
        return markWholeWords(result, (input ? input.value : "").split(/\s+/).filter(Boolean));
      };
      var interfaceScript = document.querySelector("script[src*='pagefind-ui.js']");
      var bundles = [new URL(".", interfaceScript.src).pathname].concat(
        merged.map(function (shard) { return shard.bundlePath.replace(/\/?$/, "/"); }));
      cutter = cutLikeTheIndex(new IndexWords(bundles));
      hooked = searchThroughOwnModule(options, cutter);
    }
    ui = new window.PagefindUI(options);
    // Pagefind names its box with a title only; the page heading is its visible label.
    input = root.querySelector("input");
    if (input && root.dataset.label) input.setAttribute("aria-labelledby", root.dataset.label);
    // Cut as the reader types, while Pagefind waits for the typing to pause.
    if (input && cutter) input.addEventListener("input", function () { cutter(input.value); });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      if (cutter) cutter(query);
      hooked.then(function () { ui.triggerSearch(query); });
    }
  }

  // Pagefind 1.5 cuts Japanese into words with its dictionary when it indexes, but the
  // query with the browser's Intl.Segmenter, which keeps some compounds whole: 新幹線,
  // indexed as 新 + 幹線, was looked up as the longest indexed word it starts with, 新,
  // and 0 of the first 10 results on the livedoor archive held 新幹線. Each run of
  // Japanese in the query is cut here into the longest words the index has, read from
  // Pagefind's own files, once per query; whatever fails leaves the query as typed.
  var CUT_SCRIPTS = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;

  // The cut of a query, made once: prepare(term) is a promise of it.
  function cutLikeTheIndex(index) {
    var making = {};  // query -> the promise of its cut
    return function prepare(term) {
      var key = term.trim();
      making[key] = making[key] || cutQuery(index, key).catch(function () { return key; });
      return making[key];
    };
  }

  // Pagefind finds the pages that hold every word the index cut a query into, wherever
  // they stand, and ranks them by how often: for 記事執筆, pages with 記事 in one place
  // and 執筆 in another came first, and 21 of the first 100 results of the livedoor
  // archive's commonest kanji words lacked the word typed. Of the first ORDERED results,
  // those whose text holds every Japanese word as typed are shown first, each group in
  // Pagefind's order; the rest follow. Results are not dropped: a page may hold the word
  // cut otherwise by its context.
  var ORDERED = 30;  // results whose text is fetched, about 3 KB each

  // The interface loads Pagefind through a module beside this script (search/pagefind.js),
  // whose search hands each query here: it is cut, searched, and its results ordered.
  // Pagefind starts (its worker, its shards) while the query is being cut.
  function searchThroughOwnModule(options, cutter) {
    if (!ownScript || !ownScript.src) return Promise.resolve();
    var module = new URL("search/pagefind.js", ownScript.src);
    options.bundlePath = new URL(".", module).pathname;
    return import(module.href).then(function (own) {
      own.searchWith(function (term, search) {
        if (!term || !CUT_SCRIPTS.test(term)) return search(term);
        var wanted = term.split(/\s+/).filter(function (word) { return CUT_SCRIPTS.test(word); });
        return cutter(term).then(search).then(function (found) {
          return found && found.results ? holdersFirst(found, wanted) : found;
        });
      });
    }).catch(function () { return undefined; });  // the interface reports what failed
  }

  function holdersFirst(found, wanted) {
    var head = found.results.slice(0, ORDERED);
    if (head.length < 2) return found;
    return Promise.all(head.map(function (result) { return result.data(); })).then(function (pages) {
      var holding = [];
      var rest = [];
      head.forEach(function (result, i) {
        var text = pages[i].content + "\n" + ((pages[i].meta && pages[i].meta.title) || "");
        (holdsAll(text, wanted) ? holding : rest).push(result);
      });
      found.results = holding.concat(rest, found.results.slice(ORDERED));
      return found;
    }, function () { return found; });
  }

  function holdsAll(text, words) {
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function cutQuery(index, term) {
    if (!CUT_SCRIPTS.test(term) || typeof Intl === "undefined" || !Intl.Segmenter) return Promise.resolve(term);
    return index.language().then(function (language) {
      var segmenter = new Intl.Segmenter(language, { granularity: "word" });
      return Promise.all(japaneseRuns(segmenter.segment(term)).map(function (run) {
        return typeof run === "string" ? run : cutRun(index, run);
      })).then(function (parts) { return parts.join("").replace(/\s+/g, " ").trim(); });
    });
  }

  // The query's segments, each run of Japanese words as a list: the browser cuts ドコモ
  // into ド + コモ, which the index, holding ドコモ whole, cannot match.
  function japaneseRuns(segments) {
    var runs = [];
    var joining = false;
    Array.from(segments).forEach(function (segment) {
      var japanese = segment.isWordLike && CUT_SCRIPTS.test(segment.segment);
      if (japanese && joining) runs[runs.length - 1].push(segment.segment);
      else runs.push(japanese ? [segment.segment] : segment.segment);
      joining = japanese;
    });
    return runs;
  }

  // A run as the index has it: the most segments that make one indexed word, else a
  // segment as typed if the index has it, else the segment cut into indexed words.
  // Pieces join whole segments: joined anywhere, スマートフォン was cut スマートフォ + ン
  // once one article's stray スマートフォ was in the index.
  function cutRun(index, segments) {
    var pieces = [];
    function from(at) {
      if (at >= segments.length) return Promise.resolve(" " + pieces.join(" ") + " ");
      var word = asIndexed(segments[at]);
      return index.wordsFrom(Array.from(word)[0]).then(function (known) {
        var end = segments.length;
        while (end > at + 1 && !known.has(asIndexed(segments.slice(at, end).join("")))) end -= 1;
        if (end > at + 1) pieces.push(asIndexed(segments.slice(at, end).join("")));
        else if (known.has(word) || Array.from(word).length < 2) pieces.push(segments[at]);
        else return cutWord(index, word).then(function (words) { pieces.push.apply(pieces, words); return from(at + 1); });
        return from(end);
      });
    }
    return from(0);
  }

  // A word as Pagefind stores it and looks it up: decomposed, without its marks, lower
  // case. Its index holds ドコモ as トコモ, which the browser, unlike ドコモ, keeps whole
  // when it cuts the query again. The RegExp is made here, not written as a literal, so
  // a browser without \p{} fails only the query's cut, not the whole script.
  function asIndexed(text) {
    return text.normalize("NFD").replace(new RegExp("\\p{M}", "gu"), "").toLocaleLowerCase();
  }

  // Greedy, as Pagefind's lookup: at each place the longest indexed word, else one character.
  function cutWord(index, word) {
    var chars = Array.from(word);
    var words = [];
    function from(at) {
      if (at >= chars.length) return Promise.resolve(words);
      return index.wordsFrom(chars[at]).then(function (known) {
        var end = chars.length;
        while (end > at + 1 && !known.has(chars.slice(at, end).join(""))) end -= 1;
        words.push(chars.slice(at, end).join(""));
        return from(end);
      });
    }
    return from(0);
  }

  // The words of every shard's index that begin with a character. Pagefind's files are
  // CBOR after a 12-byte signature, gzipped unless the server already unzipped them:
  // pagefind-entry.json names the language's metadata, whose third field lists the index
  // chunks as [first word, last word, file].
  function IndexWords(bundles) {
    var metas = null;
    var chunks = {};
    var found = {};
    function entries() {
      metas = metas || Promise.all(bundles.map(function (bundle) {
        return fetch(bundle + "pagefind-entry.json").then(function (r) { return r.json(); }).then(function (entry) {
          var language = Object.keys(entry.languages)[0];
          return readPagefindFile(bundle + "pagefind." + entry.languages[language].hash + ".pf_meta")
            .then(function (meta) { return { bundle: bundle, language: language, chunks: meta[2] }; });
        });
      }));
      return metas;
    }
    this.language = function () {
      return entries().then(function (all) { return all[0].language; });
    };
    this.wordsFrom = function (first) {
      found[first] = found[first] || entries().then(function (all) {
        var reads = [];
        all.forEach(function (shard) {
          shard.chunks.forEach(function (chunk) {
            if (chunk[0] <= first + "\uffff" && chunk[1] >= first) {
              var url = shard.bundle + "index/" + chunk[2] + ".pf_index";
              chunks[url] = chunks[url] || readPagefindFile(url);
              reads.push(chunks[url]);
            }
          });
        });
        return Promise.all(reads).then(function (read) {
          var known = new Set();
          read.forEach(function (chunk) {
            chunk[0].forEach(function (entry) {
              if (entry[0].indexOf(first) === 0) known.add(entry[0]);
            });
          });
          return known;
        });
      });
      return found[first];
    };
  }

  function readPagefindFile(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (isSigned(bytes)) return bytes;
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
    }).then(function (bytes) {
      if (!isSigned(bytes)) throw new Error(url + ": not a Pagefind file");
      return readCbor(bytes, 12);
    });
  }

  function isSigned(bytes) {
    var signature = "pagefind_dcd";
    for (var i = 0; i < signature.length; i++) {
      if (bytes[i] !== signature.charCodeAt(i)) return false;
    }
    return true;
  }

  // The CBOR Pagefind writes: integers, strings, arrays, maps, and simple values.
  function readCbor(bytes, start) {
    var at = start;
    var text = new TextDecoder();
    function length(info) {
      if (info < 24) return info;
      var size = 1 << (info - 24);
      if (info > 27) throw new Error("unsupported CBOR length");
      var value = 0;
      for (var i = 0; i < size; i++) value = value * 256 + bytes[at++];
      return value;
    }
    function item() {
      if (at >= bytes.length) throw new Error("CBOR cut short");
      var head = bytes[at++];
      var major = head >> 5;
      var info = head & 31;
      if (major === 7) {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22 || info === 23) return null;
        at += info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
        return 0;  // a float: not in the parts read here
      }
      var count = length(info);
      if (major === 0) return count;
      if (major === 1) return -1 - count;
      if (major === 2) { at += count; return null; }
      if (major === 3) { var s = text.decode(bytes.subarray(at, at + count)); at += count; return s; }
      if (major === 6) return item();
      var out = [];
      for (var i = 0; i < count * (major === 5 ? 2 : 1); i++) out.push(item());
      return out;
    }
    return item();
  }

  // In Japanese, Pagefind marks the segments a query was cut into, not the query:
  // 半導体 showed as <mark>半</mark>導体, 東京都 marked 都営 and 都市 as well. When every
  // word typed occurs as typed in an excerpt, those occurrences are marked instead.
  // Only words with a character outside ASCII are looked for: the excerpt is HTML,
  // and those cannot fall inside an entity such as &amp;.
  // A page's sections that hold only the pieces (人気 for 日本人) are left out of its
  // sub-results when the page shows the words typed elsewhere; if it does not (規制強化,
  // found as 規制を強化), every section stays.
  function markWholeWords(result, typed) {
    var wanted = typed.filter(function (word) { return /[^\x00-\x7f]/.test(word); });
    if (!wanted.length || wanted.length !== typed.length) return result;
    var pattern = new RegExp(wanted.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (word) { return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");
    function plain(excerpt) {
      return (excerpt || "").replace(/<\/?mark>/g, "");
    }
    function holds(excerpt) {
      return holdsAll(plain(excerpt), wanted);
    }
    function remark(excerpt) {
      return holds(excerpt) ? plain(excerpt).replace(pattern, "<mark>$&</mark>") : excerpt;
    }
    var sections = (result.sub_results || []).filter(function (sub) { return holds(sub.excerpt); });
    if (sections.length || holds(result.excerpt)) result.sub_results = sections;
    result.excerpt = remark(result.excerpt);
    (result.sub_results || []).forEach(function (sub) { sub.excerpt = remark(sub.excerpt); });
    return result;
  }

  // Where the clipboard is refused (some file:// pages, old browsers) the text is
  // selected instead, so the reader can copy it with the keyboard.
  function setUpCopy(block, labels) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = labels.copy;
    status.className = "copy-status";
    status.setAttribute("role", "status");
    function report(message) {
      status.textContent = message;
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(block);
      var selection = window.getSelection();
      if (selection) {
        selection.removeAllRanges();
        selection.addRange(range);
      }
      report(labels.failed);
    }
    button.addEventListener("click", function () {
      var clipboard = navigator.clipboard;
      if (!clipboard || typeof clipboard.writeText !== "function") {
        select();
        return;
      }
      clipboard.writeText(block.textContent).then(
        function () { report(labels.copied); },
        select
      );
    });
    var bar = document.createElement("p");
    bar.className = "copy-bar";
    bar.appendChild(button);
    bar.appendChild(status);
    block.parentNode.insertBefore(bar, block.nextSibling);
  }

  var body = document.body;
  var labels = {
    copy: body.dataset.copyLabel || "Copy",
    copied: body.dataset.copiedLabel || "Copied",
    failed: body.dataset.copyFailedLabel || ""
  };
  // Citations sit in closed <details>: buttons are added when one is opened, so a
  // page with thousands of quotes does no work for them up front.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.querySelectorAll) return;
    Array.prototype.forEach.call(details.querySelectorAll("[data-copyable]"), function (block) {
      if (block.dataset.copyReady) return;
      block.dataset.copyReady = "true";
      setUpCopy(block, labels);
    });
  }, true);
  var facets = document.querySelector("[data-facets]");
  if (facets) setUpFacets(facets);
  var text = document.querySelector("[data-doc-text]");
  if (text) makeHighlightsFocusable(text);
  var toggles = document.querySelector("[data-type-toggles]");
  if (toggles) setUpToggles(toggles);
  var search = document.querySelector("[data-search]");
  // Deferred scripts after this one (Pagefind's interface) have run by DOMContentLoaded.
  if (search) {
    document.addEventListener("DOMContentLoaded", function () { setUpSearch(search); });
  }
})();
