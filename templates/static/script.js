/* Progressive enhancement only: without this script every document and every
   highlight is shown. Filters the document list, switches entity types, adds copy
   buttons to citations and starts Pagefind's search interface on the search page. */
(function () {
  "use strict";

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
    // Japanese counts each segment as a word: without more of them an excerpt is a few words long.
    if (root.dataset.excerptWords) {
      options.excerptLength = Number(root.dataset.excerptWords);
      options.processResult = function (result) {
        return markWholeWords(result, (input ? input.value : "").split(/\s+/).filter(Boolean));
      };
    }
    var ui = new window.PagefindUI(options);
    // Pagefind names its box with a title only; the page heading is its visible label.
    input = root.querySelector("input");
    if (input && root.dataset.label) input.setAttribute("aria-labelledby", root.dataset.label);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  // In Japanese, Pagefind marks the segments a query was cut into, not the query:
  // 半導体 showed as <mark>半</mark>導体, 東京都 marked 都営 and 都市 as well. When every
  // word typed occurs as typed in an excerpt, those occurrences are marked instead.
  // Only words with a character outside ASCII are looked for: the excerpt is HTML,
  // and those cannot fall inside an entity such as &amp;.
  function markWholeWords(result, typed) {
    var wanted = typed.filter(function (word) { return /[^\x00-\x7f]/.test(word); });
    if (!wanted.length || wanted.length !== typed.length) return result;
    var pattern = new RegExp(wanted.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (word) { return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");
    function remark(excerpt) {
      var plain = (excerpt || "").replace(/<\/?mark>/g, "");
      var all = wanted.every(function (word) { return plain.indexOf(word) !== -1; });
      return all ? plain.replace(pattern, "<mark>$&</mark>") : excerpt;
    }
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
