/*
 * The practice form, enhanced: add and remove rows, reorder diagnoses with
 * Move up / Move down buttons or drag and drop (service-line pointers follow the
 * diagnoses they point to), inline validation of every code against the code
 * book on the case's date of service, and one submission per attempt.
 * Without this script the form still works: fixed rows, plain POST.
 */
(function () {
  "use strict";

  var form = document.querySelector(".practice-form");
  if (!form) {
    return;
  }
  var date = form.dataset.codeDate || "";
  var LABELS = { dx: "diagnosis", pcs: "procedure", svc: "service line" };
  var created = 0;

  function rowsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > [data-row]"));
  }

  function button(text, label, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button--secondary button--small";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", handler);
    return b;
  }

  function pointerInputs() {
    return form.querySelectorAll("input[data-pointers]");
  }

  // Keep service-line pointers on the same diagnoses after rows move or go.
  function remapPointers(before, after) {
    var mapping = {};
    before.forEach(function (row, index) {
      var position = after.indexOf(row);
      mapping[String(index + 1)] = position === -1 ? null : String(position + 1);
    });
    pointerInputs().forEach(function (input) {
      var parts = input.value.split(/[\s,]+/).filter(Boolean);
      input.value = parts
        .map(function (p) { return p in mapping ? mapping[p] : p; })
        .filter(Boolean)
        .join(", ");
    });
  }

  function renumber(list) {
    var prefix = list.dataset.rows;
    rowsOf(list).forEach(function (row, index) {
      var number = row.querySelector("[data-number]");
      if (number) {
        number.textContent = String(index + 1);
      }
      row.querySelectorAll("input[name]").forEach(function (input) {
        input.name = input.name.replace(/^(\w+)-\d+-/, prefix + "-" + index + "-");
      });
      row.querySelectorAll("button[data-tool]").forEach(function (b) {
        b.setAttribute("aria-label", b.dataset.tool + " " + LABELS[prefix] + " " + (index + 1));
      });
    });
  }

  function change(list, mutate) {
    var before = rowsOf(list);
    mutate();
    renumber(list);
    if (list.dataset.rows === "dx") {
      remapPointers(before, rowsOf(list));
    }
  }

  function addTools(list, row) {
    var tools = document.createElement("span");
    tools.className = "row-tools";
    if (list.dataset.rows === "dx") {
      var up = button("↑", "Move up", function () {
        change(list, function () {
          if (row.previousElementSibling) {
            list.insertBefore(row, row.previousElementSibling);
          }
        });
        up.focus();
      });
      up.dataset.tool = "Move up";
      var down = button("↓", "Move down", function () {
        change(list, function () {
          if (row.nextElementSibling) {
            list.insertBefore(row.nextElementSibling, row);
          }
        });
        down.focus();
      });
      down.dataset.tool = "Move down";
      tools.appendChild(up);
      tools.appendChild(down);
      row.draggable = true;
      row.addEventListener("dragstart", function (event) {
        list.dragged = row;
        row.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("is-dragging");
        list.dragged = null;
      });
      row.addEventListener("dragover", function (event) {
        if (list.dragged && list.dragged !== row) {
          event.preventDefault();
        }
      });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        var dragged = list.dragged;
        if (!dragged || dragged === row) {
          return;
        }
        change(list, function () {
          var rows = rowsOf(list);
          var after = rows.indexOf(dragged) < rows.indexOf(row);
          list.insertBefore(dragged, after ? row.nextElementSibling : row);
        });
      });
    }
    var remove = button("Remove", "Remove", function () {
      change(list, function () {
        if (rowsOf(list).length > 1) {
          list.removeChild(row);
        } else {
          row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        }
      });
      var first = list.querySelector("input");
      if (first) {
        first.focus();
      }
    });
    remove.dataset.tool = "Remove";
    tools.appendChild(remove);
    row.appendChild(tools);
  }

  // A pristine copy of a row, without the autocomplete's additions.
  function blankRow(list) {
    var copy = rowsOf(list)[0].cloneNode(true);
    copy.querySelectorAll(".code-autocomplete, [role=status], .row-tools").forEach(function (el) {
      el.remove();
    });
    created += 1;
    copy.querySelectorAll("input").forEach(function (input) {
      ["data-code-autocomplete", "role", "aria-autocomplete", "aria-expanded",
        "aria-controls", "aria-activedescendant", "aria-invalid"].forEach(function (name) {
        input.removeAttribute(name);
      });
      var label = copy.querySelector("label[for='" + input.id + "']");
      input.id = input.id.replace(/-\d+-/, "-new" + created + "-");
      if (label) {
        label.htmlFor = input.id;
      }
      input.value = "";
    });
    var message = copy.querySelector(".code-message");
    if (message) {
      message.textContent = "";
      message.className = "code-message";
    }
    return copy;
  }

  function validate(input) {
    var row = input.closest("[data-row]");
    var message = row && row.querySelector(".code-message");
    var code = input.value.trim();
    if (!message) {
      return;
    }
    if (!code) {
      message.textContent = "";
      message.className = "code-message";
      input.removeAttribute("aria-invalid");
      return;
    }
    var system = input.dataset.codeSystem;
    if (system === "cpt" && /^[A-Va-v]\d{4}$/.test(code)) {
      system = "hcpcs";
    }
    var url = "/api/codes/" + system + "/" + encodeURIComponent(code) +
      "?date=" + encodeURIComponent(date);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (input.value.trim() !== code) {
          return;
        }
        var check = body.validation || {};
        if (check.valid) {
          message.textContent = check.display + ": " + (check.description || "valid");
          message.className = "code-message is-valid";
          input.removeAttribute("aria-invalid");
        } else {
          message.textContent = check.message || "Not a valid code.";
          message.className = "code-message is-invalid";
          input.setAttribute("aria-invalid", "true");
        }
      })
      .catch(function () {
        message.textContent = "";
      });
  }

  function watch(root) {
    root.querySelectorAll("input[data-code-system]").forEach(function (input) {
      input.addEventListener("change", function () { validate(input); });
      input.addEventListener("code:selected", function () { validate(input); });
    });
  }

  form.querySelectorAll("[data-rows]").forEach(function (list) {
    rowsOf(list).forEach(function (row) { addTools(list, row); });
    renumber(list);
    var add = button("Add " + LABELS[list.dataset.rows], "Add " + LABELS[list.dataset.rows], function () {
      var row = blankRow(list);
      change(list, function () { list.appendChild(row); });
      addTools(list, row);
      renumber(list);
      watch(row);
      if (window.CodeAutocomplete) {
        window.CodeAutocomplete.init(row);
      }
      row.querySelector("input").focus();
    });
    list.insertAdjacentElement("afterend", add);
  });
  watch(form);

  form.addEventListener("submit", function (event) {
    if (form.dataset.submitted === "yes") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "yes";
    var submit = form.querySelector("[data-submit]");
    if (submit) {
      submit.setAttribute("aria-disabled", "true");
      submit.textContent = "Submitting…";
    }
  });
})();
