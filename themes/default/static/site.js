/* planpress site behaviour beyond search (search.js): small, no dependencies, every page works
   without it.
   - The language switch keeps the query string and the #anchor: every page exists in every
     language at the same path (src/routes), so /en/search/?q=x#r goes to /zh/search/?q=x#r.
     The links are brought up to date when they are about to be followed (the search page
     changes its ?q= without reloading), and the language chosen is remembered for the root
     chooser (index.html).
   - The menu button of phones (base.html): shows and hides the header's tools and the main
     navigation, with aria-expanded. Without this script nothing is hidden.
   - Reading modes: large text and high contrast, each a toggle button (aria-pressed) in the
     header, set as data-text / data-contrast on <html> and remembered in localStorage (an
     inline script in <head> applies them before the first paint).
   - The action bar's print button (partials/actions.html).
   The in-page contents of long pages (partials/toc.html) are written at build time
   (src/render/toc.rs), so they need nothing here. */
(function () {
  "use strict";

  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (e) { /* private mode: nothing remembered */ }
  }

  /* ---------- the language switch ---------- */
  function langSwitch(nav) {
    function sync() {
      Array.prototype.forEach.call(nav.querySelectorAll("a[href]"), function (a) {
        var base = a.getAttribute("data-base") || a.getAttribute("href").split(/[?#]/)[0];
        a.setAttribute("data-base", base);
        a.setAttribute("href", base + location.search + location.hash);
      });
    }
    sync();
    ["pointerdown", "focusin", "keydown"].forEach(function (e) { nav.addEventListener(e, sync); });
    window.addEventListener("hashchange", sync);
    nav.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[lang]");
      if (!a) return;
      sync();
      store("planpress-lang", a.getAttribute("lang"));
    });
  }

  /* ---------- the menu button (phones) ---------- */
  function menu(button) {
    var header = button.closest(".site-header");
    if (!header) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    });
    header.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && header.classList.contains("menu-open") && !e.defaultPrevented &&
          !(e.target.closest && e.target.closest(".site-search"))) {
        button.setAttribute("aria-expanded", "false");
        header.classList.remove("menu-open");
        button.focus();
      }
    });
  }

  /* ---------- reading modes ---------- */
  function readingModes(group) {
    var root = document.documentElement;
    Array.prototype.forEach.call(group.querySelectorAll("button[data-mode]"), function (b) {
      var key = b.getAttribute("data-mode"), value = b.getAttribute("data-value");
      function sync() { b.setAttribute("aria-pressed", root.getAttribute("data-" + key) === value ? "true" : "false"); }
      sync();
      b.addEventListener("click", function () {
        var on = root.getAttribute("data-" + key) !== value;
        if (on) root.setAttribute("data-" + key, value);
        else root.removeAttribute("data-" + key);
        store("planpress-" + key, on ? value : null);
        sync();
      });
    });
  }

  /* ---------- the action bar: print this page ---------- */
  function printButton(b) {
    b.addEventListener("click", function () { window.print(); });
  }

  /* ---------- the root chooser (index.html, the x-default) ----------
     On to the language chosen before, else the first of navigator.languages the site has (by
     primary subtag: zh-CN finds zh-Hans); another language, or ?choose, leaves the chooser in
     view. Nothing links back here with a redirect, so there is no loop. */
  function chooser(main) {
    var links = [].slice.call(main.querySelectorAll("a[data-lang]")), saved = null;
    links.forEach(function (a) { a.addEventListener("click", function () { store("planpress-lang", a.getAttribute("hreflang")); }); });
    if (/[?&]choose(=|&|$)/.test(location.search)) return;
    try { saved = localStorage.getItem("planpress-lang"); } catch (e) { /* none */ }
    var wanted = (saved ? [saved] : []).concat(navigator.languages || [navigator.language || ""]);
    for (var i = 0; i < wanted.length; i++) {
      var w = String(wanted[i]).toLowerCase();
      for (var j = 0; j < links.length; j++) {
        var tag = links[j].getAttribute("hreflang").toLowerCase(), code = links[j].getAttribute("data-lang").toLowerCase();
        if (w === code || w === tag || w.split("-")[0] === tag.split("-")[0]) { location.replace(links[j].href); return; }
      }
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("main.chooser"), chooser);
    Array.prototype.forEach.call(document.querySelectorAll(".lang-switch"), langSwitch);
    Array.prototype.forEach.call(document.querySelectorAll(".menu-toggle"), menu);
    Array.prototype.forEach.call(document.querySelectorAll(".reading-modes"), readingModes);
    Array.prototype.forEach.call(document.querySelectorAll(".action-print"), printButton);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
