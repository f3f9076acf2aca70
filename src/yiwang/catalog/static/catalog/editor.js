/* Form editor (表单编辑器) enhancement: in the add-field form, show only the inputs that apply to
   the chosen field kind (inputs carry data-kinds="select radio …"). Without JavaScript every input
   is shown and the server ignores the ones that do not apply. */
(function () {
  "use strict";

  function update(form, select) {
    var kind = select.value;
    var inputs = form.querySelectorAll("[data-kinds]");
    for (var i = 0; i < inputs.length; i++) {
      var wrapper = inputs[i].closest(".form-field") || inputs[i];
      var kinds = inputs[i].getAttribute("data-kinds").split(" ");
      var hide = kinds.indexOf(kind) === -1;
      wrapper.hidden = hide;
      // .checkbox-field sets display:flex, which beats the hidden attribute (CSSOM is CSP-safe)
      wrapper.style.display = hide ? "none" : "";
    }
  }

  function init() {
    var forms = document.querySelectorAll("form[data-field-form]");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        var select = form.querySelector("select[data-kind-select]");
        if (!select) {
          return;
        }
        select.addEventListener("change", function () { update(form, select); });
        update(form, select);
      })(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
