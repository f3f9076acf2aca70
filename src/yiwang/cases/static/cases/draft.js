/* 一网 Yiwang — enhancements of the applicant pages. Everything works without this file:
   - conditional fields ([data-show-field][data-show-value]) are hidden while their condition does
     not hold (without JavaScript they are all shown, with a note saying when to fill them in, and
     the server drops answers to fields whose condition does not hold);
   - the application form (form[data-autosave]) is saved a few seconds after each change through
     PUT /api/v1/cases/{id}/form with the session and its CSRF token (without JavaScript the
     "保存草稿" buttons save it);
   - print buttons ([data-print], hidden in the HTML) are shown and call window.print(). */
(function () {
  "use strict";

  var AUTOSAVE_DELAY = 3000;

  function controlValue(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var value = "";
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "checkbox") {
        value = input.checked ? "true" : "false";
      } else if (input.type === "radio") {
        if (input.checked) {
          value = input.value;
        }
      } else {
        value = input.value;
      }
    });
    return value;
  }

  function applyConditions(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-field]"), function (el) {
      var shown = controlValue(form, el.getAttribute("data-show-field")) === el.getAttribute("data-show-value");
      el.hidden = !shown;
    });
  }

  function setPath(target, parts, value, append) {
    var node = target;
    for (var i = 0; i < parts.length - 1; i += 1) {
      var key = /^\d+$/.test(parts[i]) ? Number(parts[i]) : parts[i];
      if (node[key] === undefined) {
        node[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      }
      node = node[key];
    }
    var last = parts[parts.length - 1];
    if (append) {
      node[last] = (node[last] || []).concat([value]);
    } else {
      node[last] = value;
    }
  }

  function isBlank(value) {
    if (value === undefined || value === null || value === "" || value === false) {
      return true;
    }
    if (Array.isArray(value)) {
      return value.every(isBlank);
    }
    if (typeof value === "object") {
      return Object.keys(value).every(function (k) { return isBlank(value[k]); });
    }
    return false;
  }

  function tidy(value) {
    // Group rows come back as sparse arrays: keep the rows with something filled in.
    if (Array.isArray(value)) {
      return value.filter(function (v) { return v !== undefined && !(typeof v === "object" && isBlank(v)); })
        .map(tidy);
    }
    if (value && typeof value === "object") {
      Object.keys(value).forEach(function (k) { value[k] = tidy(value[k]); });
    }
    return value;
  }

  function toNumber(text) {
    var compact = text.replace(/[\s,]/g, "");
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(compact) ? Number(compact) : text;
  }

  /* The answers as JSON, much as the server's formschema.coerce reads the posted form. The page's
     own post stays the authority: it is coerced and saved again on every button. */
  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-kind]"), function (el) {
      if (el.closest("[hidden]") || !el.name) {
        return;
      }
      var kind = el.getAttribute("data-kind");
      var parts = el.name.split("-");
      if (kind === "checkbox") {
        setPath(data, parts, el.checked, false);
      } else if (kind === "checkboxes") {
        if (el.checked) {
          setPath(data, parts, el.value, true);
        }
      } else if (kind === "radio") {
        if (el.checked) {
          setPath(data, parts, el.value, false);
        }
      } else {
        var text = el.value.trim();
        if (text) {
          setPath(data, parts, kind === "number" ? toNumber(text) : text, false);
        }
      }
    });
    return tidy(data);
  }

  function setupAutosave(form) {
    var url = form.getAttribute("data-autosave");
    var status = form.querySelector("[data-autosave-status]");
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!url || !token || !window.fetch || !window.JSON) {
      return;
    }
    var timer = null;
    var submitting = false;
    var lastSent = JSON.stringify(collect(form));

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function save() {
      timer = null;
      if (submitting) {
        return;
      }
      var body = JSON.stringify({ form: collect(form) });
      if (body === lastSent) {
        return;
      }
      fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value, Accept: "application/json" },
        body: body
      }).then(function (response) {
        if (response.ok) {
          lastSent = body;
          var now = new Date();
          var hh = String(now.getHours()).padStart(2, "0");
          var mm = String(now.getMinutes()).padStart(2, "0");
          say(form.getAttribute("data-saved-text").replace("{time}", hh + ":" + mm));
        } else {
          say(form.getAttribute("data-failed-text"));
        }
      }).catch(function () {
        say(form.getAttribute("data-failed-text"));
      });
    }

    function changed(event) {
      if (event.target && event.target.type === "file") {
        return;
      }
      if (timer) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(save, AUTOSAVE_DELAY);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) {
        window.clearTimeout(timer);
      }
    });
  }

  function setupPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.apply-form"), function (form) {
      applyConditions(form);
      form.addEventListener("change", function () { applyConditions(form); });
      setupAutosave(form);
    });
    setupPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
