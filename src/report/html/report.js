(function () {
  // The HTML report's script: selects, filters and scrolls; the page is drawn on the server side.
  // Plain ES2020 for the browser, type-checked by src/report/html/tsconfig.json and inlined by the build.
  "use strict";
  var doc = document;
  /**
   * @param {string} sel
   * @param {ParentNode} [el]
   * @returns {HTMLElement[]} (diagram rows are SVG elements: only what both kinds have is used on them)
   */
  function all(sel, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(sel)); }
  /** @param {string | null} cap */
  function capEl(cap) { return doc.getElementById("cap-" + cap); }
  /**
   * @param {string | null} cap
   * @param {string | null} entry
   * @returns {SVGGElement | null}
   */
  function callEl(cap, entry) { return doc.querySelector('.call[data-cap="' + cap + '"][data-entry="' + entry + '"]'); }
  /** @param {EventTarget | null} t */
  function asElement(t) { return t instanceof Element ? t : null; }
  var smooth = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

  /** @type {HTMLElement | null} */
  var bar = doc.querySelector(".toolbar");
  function syncBar() { if (bar) doc.documentElement.style.setProperty("--bar-h", bar.offsetHeight + "px"); }
  syncBar();
  if (window.ResizeObserver && bar) new ResizeObserver(syncBar).observe(bar);

  /**
   * @param {string | null} cap
   * @param {string | null} name
   * @param {boolean} [focus]
   */
  function showTab(cap, name, focus) {
    var sec = capEl(cap);
    if (!sec) return;
    all(".tab", sec).forEach(function (t) {
      var on = t.getAttribute("data-tab") === name;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      if (on && focus) t.focus();
    });
    all(".pane", sec).forEach(function (p) { p.hidden = p.getAttribute("data-pane") !== name; });
  }

  /** @param {Element} el */
  function flash(el) {
    el.classList.remove("flash");
    void el.getBoundingClientRect();
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1300);
  }

  /**
   * Bring a row to the middle of its diagram, and the diagram into the window (below the toolbar).
   * @param {Element} el
   * @param {boolean} [nearest]
   */
  function reveal(el, nearest) {
    var box = el.closest(".diagram-scroll");
    if (!box) return;
    /** @type {ScrollBehavior} */
    var behavior = smooth ? "smooth" : "auto";
    var barH = bar ? bar.offsetHeight : 0;
    var outer = box.getBoundingClientRect();
    if (outer.top < barH || outer.bottom > window.innerHeight) {
      window.scrollBy({ top: outer.top - barH - 12, behavior: behavior });
    }
    /** @type {HTMLElement | null} */
    var head = box.querySelector(".lanes-sticky");
    var headH = head ? head.offsetHeight : 0;
    var r = el.getBoundingClientRect();
    var b = box.getBoundingClientRect();
    var room = box.clientHeight - headH;
    var offset = r.top - b.top - headH;
    var top;
    if (nearest) {
      if (offset < 0) top = box.scrollTop + offset;
      else if (offset + r.height > room) top = box.scrollTop + offset + r.height - room;
      else return;
      behavior = "auto";
    } else {
      top = box.scrollTop + offset - Math.max(0, (room - r.height) / 2);
    }
    box.scrollTo({ top: Math.max(0, top), behavior: behavior });
  }

  /** @type {Record<string, { call: SVGGElement, detail: HTMLElement | null }>} */
  var current = {};
  /**
   * @param {string | null} cap
   * @param {string | null} entry
   * @param {{ tab?: string, scroll?: boolean, focus?: boolean }} [opts]
   */
  function select(cap, entry, opts) {
    opts = opts || {};
    var el = callEl(cap, entry);
    var sec = capEl(cap);
    if (!el || !sec || cap === null) return false;
    var prev = current[cap];
    if (prev) {
      prev.call.classList.remove("selected");
      prev.call.setAttribute("aria-pressed", "false");
      if (prev.detail) prev.detail.hidden = true;
    }
    /** @type {HTMLElement | null} */
    var detail = sec.querySelector('.detail[data-entry="' + entry + '"]');
    el.classList.add("selected");
    el.setAttribute("aria-pressed", "true");
    if (detail) detail.hidden = false;
    current[cap] = { call: el, detail: detail };
    /** @type {HTMLElement | null} */
    var ph = sec.querySelector(".placeholder");
    if (ph) ph.hidden = true;
    if (opts.tab) showTab(cap, opts.tab);
    if (opts.tab === "details") {
      var side = sec.querySelector(".side");
      if (side) side.scrollTop = 0;
    }
    if (opts.scroll) {
      reveal(el);
      flash(el);
    }
    if (opts.focus) el.focus({ preventScroll: !opts.scroll });
    try { history.replaceState(null, "", "#c" + cap + "-e" + entry); } catch (e) { /* file:// in some browsers */ }
    return true;
  }

  function unlink() { all(".call.linked").forEach(function (c) { c.classList.remove("linked"); }); }

  /**
   * Select a call from a finding card, and light up every call of the card's problem.
   * @param {string | null} cap
   * @param {string | null} entry
   * @param {Element | null} card
   */
  function goto(cap, entry, card) {
    all(".finding.active").forEach(function (f) { f.classList.remove("active"); });
    unlink();
    if (card) {
      card.classList.add("active");
      // The calls of the whole problem: its cause's and those where its symptoms were seen.
      (card.getAttribute("data-entries") || "").split(" ").forEach(function (e) {
        var row = e ? callEl(cap, e) : null;
        if (row) row.classList.add("linked");
      });
    }
    select(cap, entry, { scroll: true });
  }
  /**
   * @param {Element} el
   * @param {number} dir
   * @returns {SVGGElement | null}
   */
  function sibling(el, dir) {
    var n = dir > 0 ? el.nextElementSibling : el.previousElementSibling;
    while (n && !n.classList.contains("call")) n = dir > 0 ? n.nextElementSibling : n.previousElementSibling;
    return n instanceof SVGGElement ? n : null;
  }
  // One delegated listener per event: thousands of calls cost nothing at load.
  doc.addEventListener("click", function (ev) {
    var t = asElement(ev.target);
    if (!t) return;
    var b = t.closest("button.goto");
    if (b) {
      var owner = b.closest(".finding");
      goto(b.getAttribute("data-cap"), b.getAttribute("data-goto"), owner && owner.getAttribute("data-list") === "main" ? owner : null);
      return;
    }
    var show = t.closest("button.show-finding");
    if (show) {
      var cap = show.getAttribute("data-cap");
      var target = doc.getElementById(show.getAttribute("data-finding") || "");
      showTab(cap, "findings");
      if (target) {
        all(".finding.active").forEach(function (f) { f.classList.remove("active"); });
        target.classList.add("active");
        all("details", target).forEach(function (d) { if (d instanceof HTMLDetailsElement) d.open = true; });
        target.scrollIntoView({ block: "nearest" });
        /** @type {HTMLElement | null} */
        var focusable = target.querySelector("summary");
        if (focusable) focusable.focus({ preventScroll: true });
      }
      return;
    }
    var call = t.closest(".call");
    if (call) {
      unlink();
      select(call.getAttribute("data-cap"), call.getAttribute("data-entry"), { tab: "details" });
      return;
    }
    var card = t.closest(".finding");
    // Links, summaries and the prose inside <details> stay clickable and selectable.
    if (card && !t.closest("a, summary, button, details > p")) {
      var entry = card.getAttribute("data-entry");
      if (entry !== null && callEl(card.getAttribute("data-cap"), entry)) goto(card.getAttribute("data-cap"), entry, card.getAttribute("data-list") === "main" ? card : null);
    }
  });
  // Arrows: Enter/Space select, Up/Down (or k/j) walk the calls.
  doc.addEventListener("keydown", function (ev) {
    var t = asElement(ev.target);
    var el = t ? t.closest(".call") : null;
    if (!el) return;
    var cap = el.getAttribute("data-cap");
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(cap, el.getAttribute("data-entry"), { tab: "details" }); return; }
    var dir = ev.key === "ArrowDown" || ev.key === "j" ? 1 : ev.key === "ArrowUp" || ev.key === "k" ? -1 : 0;
    if (!dir) return;
    var next = sibling(el, dir);
    if (!next) return;
    ev.preventDefault();
    next.focus({ preventScroll: true });
    reveal(next, true);
    select(cap, next.getAttribute("data-entry"), { tab: "details" });
  });

  // Tabs: click and Left/Right.
  all(".tabs").forEach(function (list) {
    var sec = list.closest(".capture");
    var cap = sec ? sec.getAttribute("data-cap") : null;
    all(".tab", list).forEach(function (t) {
      t.addEventListener("click", function () { showTab(cap, t.getAttribute("data-tab")); });
      t.addEventListener("keydown", function (ev) {
        if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
        ev.preventDefault();
        showTab(cap, t.getAttribute("data-tab") === "findings" ? "details" : "findings", true);
      });
    });
  });

  // Filters: hide findings, re-mark and dim arrows whose findings are all hidden.
  /** @type {Record<string, number>} */
  var RANK = { error: 0, warning: 1, info: 2 };
  var shownEl = doc.querySelector("[data-shown]");
  /** @param {string} selector */
  function inputs(selector) {
    return all(selector).filter(/** @returns {i is HTMLInputElement} */ function (i) { return i instanceof HTMLInputElement; });
  }
  function applyFilters() {
    /** @type {Record<string, boolean>} */
    var sev = {};
    /** @type {Record<string, boolean>} */
    var rule = {};
    inputs('input[data-filter="severity"]').forEach(function (i) { sev[i.value] = i.checked; });
    inputs('input[data-filter="rule"]').forEach(function (i) { rule[i.value] = i.checked; });
    /** @type {Record<string, string>} */
    var worst = {};
    /** @type {Record<string, number>} */
    var perCap = {};
    var shown = 0, total = 0;
    all(".finding").forEach(function (f) {
      var s = f.getAttribute("data-sev") || "";
      var vis = sev[s] !== false && rule[f.getAttribute("data-rule") || ""] !== false;
      f.hidden = !vis;
      if (f.getAttribute("data-list") !== "main") return;
      var cap = f.getAttribute("data-cap") || "";
      total++;
      perCap[cap] = perCap[cap] || 0;
      if (!vis) return;
      shown++;
      perCap[cap]++;
      // A problem marks its own call and the calls where its symptoms were seen.
      (f.getAttribute("data-entries") || "").split(" ").forEach(function (entry) {
        if (!entry) return;
        var key = cap + ":" + entry;
        var prev = worst[key];
        if (prev === undefined || (RANK[s] ?? 9) < (RANK[prev] ?? 9)) worst[key] = s;
      });
    });
    all(".sym-link").forEach(function (l) {
      var card = doc.getElementById(l.getAttribute("data-finding") || "");
      l.classList.toggle("off", !card || card.hidden === true);
    });
    all(".call.has-findings").forEach(function (c) {
      var w = worst[c.getAttribute("data-cap") + ":" + c.getAttribute("data-entry")];
      c.setAttribute("data-vis", w || "none");
      c.classList.toggle("dimmed", !w);
    });
    all(".capture").forEach(function (sec) {
      var n = perCap[sec.getAttribute("data-cap") || ""] || 0;
      var count = sec.querySelector("[data-count-cap]");
      if (count) count.textContent = String(n);
      /** @type {HTMLElement | null} */
      var note = sec.querySelector(".all-hidden");
      if (note) note.hidden = n > 0;
    });
    if (shownEl) shownEl.textContent = shown + " of " + total + (total === 1 ? " finding" : " findings") + " shown";
    var focus = inputs('input[data-filter="focus"]')[0];
    doc.body.classList.toggle("focus-mode", !!(focus && focus.checked));
  }
  all("input[data-filter]").forEach(function (i) { i.addEventListener("change", applyFilters); });
  applyFilters();

  // Deep link: #c0-e12 selects entry 12 of the first capture.
  var m = /^#c(\d+)-e(\d+)$/.exec(location.hash);
  if (m) select(m[1] || null, m[2] || null, { tab: "details", scroll: true });
})();
