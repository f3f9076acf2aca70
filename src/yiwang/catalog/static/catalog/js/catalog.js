/* 一网 Yiwang — catalogue enhancements. Everything works without this file:
   - search suggestions: inputs with data-suggest="<api url>" get a native <datalist> filled from
     GET <api url>?q=… (the browser shows and announces the choices itself);
   - the listing's filter panel (<details open>) is folded on narrow screens when no filter is
     chosen, so the results are in view first;
   - print buttons ([data-print], hidden in the HTML) are shown and call window.print(); without
     JavaScript the browser's own print command uses the same print stylesheet. */
(function () {
  "use strict";

  function setupSuggest(input) {
    var url = input.getAttribute("data-suggest");
    if (!url || !window.fetch) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var controller = null;
    var last = "";

    function fill(items) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.name;
        list.appendChild(option);
      });
    }

    function load() {
      var q = input.value.trim();
      if (q === last) {
        return;
      }
      last = q;
      if (!q) {
        fill([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (data) {
          if (input.value.trim() === q) {
            fill(data.items || []);
          }
        })
        .catch(function () {
          /* aborted or offline: keep the form working as a plain search */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 180);
    });
  }

  function setupPrint(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }

  function foldFilters(details) {
    var narrow = window.matchMedia && window.matchMedia("(max-width: 800px)").matches;
    if (narrow && !details.hasAttribute("data-keep-open")) {
      details.open = false;
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("details.filter-panel"), foldFilters);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), setupSuggest);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), setupPrint);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
