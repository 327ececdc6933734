/*
 * Answer-key editor in the Wagtail admin (grading.key_blocks): every code input
 * (data-code-check) gets the code-book autocomplete, and is checked against the
 * code set in force on the key's date of service as soon as the instructor leaves
 * it. The date is the key's own (a lesson check's or an exam item's key, inside
 * [data-answer-key]) or else the page's (a case). The server checks the whole key
 * again on save; this is the early warning.
 */
(function () {
  "use strict";

  var HCPCS = /^[A-V][0-9]{4}$/i;

  function dateOfService(input) {
    var key = input.closest("[data-answer-key]");
    var field = key
      ? key.querySelector("input[name$='-date_of_service']")
      : document.getElementById("id_date_of_service");
    return field && field.value ? field.value : "";
  }

  function systemOf(input) {
    var code = input.value.trim();
    // Service lines hold CPT or HCPCS Level II codes; tell them apart by shape.
    if (input.dataset.codeSystem === "cpt" && HCPCS.test(code)) {
      return "hcpcs";
    }
    return input.dataset.codeSystem;
  }

  function messageFor(input) {
    var id = input.id + "-code-check";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.id = id;
      message.className = "key-code-check";
      message.setAttribute("role", "status");
      input.insertAdjacentElement("afterend", message);
      input.setAttribute("aria-describedby", id);
    }
    return message;
  }

  function check(input) {
    var code = input.value.trim();
    var message = messageFor(input);
    if (!code) {
      message.textContent = "";
      return;
    }
    var url = new URL(
      "/api/codes/" + systemOf(input) + "/" + encodeURIComponent(code),
      window.location.origin
    );
    if (dateOfService(input)) {
      url.searchParams.set("date", dateOfService(input));
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        var result = body.validation || {};
        message.dataset.valid = result.valid ? "true" : "false";
        message.textContent = result.valid
          ? "✓ " + (result.display || code) + ": " + (result.description || "valid")
          : "✗ " + (result.message || body.detail || "This code could not be checked.");
      })
      .catch(function () {
        message.dataset.valid = "unknown";
        message.textContent = "Could not reach the code book; the key is checked again on save.";
      });
  }

  function wire(root) {
    root.querySelectorAll("input[data-code-check]").forEach(function (input) {
      if (input.dataset.codeCheckWired) {
        return;
      }
      input.dataset.codeCheckWired = "on";
      if (window.CodeAutocomplete) {
        // The date may be typed after the line is added: read it on each visit.
        input.addEventListener("focus", function () {
          input.dataset.codeDate = dateOfService(input);
        });
        window.CodeAutocomplete.enhance(input);
      }
      input.addEventListener("change", function () {
        check(input);
      });
    });
  }

  function start() {
    wire(document);
    // StreamField adds key lines after the page has loaded.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            wire(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
