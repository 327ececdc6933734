/*
 * Code autocomplete: enhances every <input data-code-system="icd10cm"> (or
 * icd10pcs, hcpcs, cpt, modifier) into an ARIA combobox fed by
 * GET /api/codes/search. Keyboard-first: ArrowDown/ArrowUp move, Enter picks,
 * Escape closes. It asks only after a short pause in typing.
 *
 * Options (data attributes on the input):
 *   data-code-system    the code system (required)
 *   data-code-date      date of service, YYYY-MM-DD (default: today)
 *   data-code-navigate  if present, picking a code opens its code-book page
 *   data-code-api       search URL (default /api/codes/search)
 * Picking a code sets the input's value to the code and fires "input" and
 * "change" events, plus a "code:selected" event whose detail is the result.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var counter = 0;

  function enhance(input) {
    if (input.dataset.codeAutocomplete === "on") {
      return;
    }
    input.dataset.codeAutocomplete = "on";
    counter += 1;
    var listId = (input.id || "code-input-" + counter) + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "code-autocomplete";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var pending = null;
    var results = [];
    var active = -1;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(data) {
      results = data.results || [];
      list.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.index = String(i);
        var code = document.createElement("span");
        code.className = "code";
        code.textContent = result.code;
        var text = document.createElement("span");
        text.className = "code-autocomplete__text";
        text.textContent = " " + result.description;
        item.appendChild(code);
        item.appendChild(text);
        if (!result.billable) {
          var header = document.createElement("span");
          header.className = "badge badge--warn";
          header.textContent = "header";
          item.appendChild(header);
        }
        list.appendChild(item);
      });
      if (data.notice) {
        var notice = document.createElement("li");
        notice.className = "code-autocomplete__notice";
        notice.setAttribute("role", "presentation");
        notice.textContent = data.notice;
        list.appendChild(notice);
      }
      status.textContent = results.length
        ? results.length + " codes found"
        : "No codes found";
      list.hidden = results.length === 0 && !data.notice;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      highlight(-1);
    }

    function ask() {
      var query = input.value.trim();
      if (!query) {
        close();
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = new URL(input.dataset.codeApi || "/api/codes/search", window.location.origin);
      url.searchParams.set("system", input.dataset.codeSystem);
      url.searchParams.set("q", query.slice(0, 200));
      if (input.dataset.codeDate) {
        url.searchParams.set("date", input.dataset.codeDate);
      }
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(render)
        .catch(function (error) {
          if (error.name !== "AbortError") {
            close();
          }
        });
    }

    function pick(index) {
      var result = results[index];
      if (!result) {
        return;
      }
      close();
      if ("codeNavigate" in input.dataset) {
        window.location.assign(
          "/codes/" + input.dataset.codeSystem + "/" + result.compact + "/"
        );
        return;
      }
      input.value = result.code;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.dispatchEvent(new CustomEvent("code:selected", { bubbles: true, detail: result }));
    }

    input.addEventListener("input", function (event) {
      if (!event.isTrusted) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          ask();
          return;
        }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(Math.max(active - 1, 0));
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          pick(active);
        } else if (open && "codeNavigate" in input.dataset) {
          event.preventDefault();
          pick(0);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });

    list.addEventListener("mousedown", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) {
        event.preventDefault();
        pick(Number(item.dataset.index));
      }
    });
  }

  function wirePickers() {
    document.querySelectorAll("select[data-code-system-picker]").forEach(function (select) {
      var input = document.getElementById(select.dataset.codeSystemPicker);
      if (input) {
        select.addEventListener("change", function () {
          input.dataset.codeSystem = select.value;
          input.focus();
        });
      }
    });
  }

  function init(root) {
    (root || document).querySelectorAll("input[data-code-system]").forEach(enhance);
  }

  window.CodeAutocomplete = { init: init, enhance: enhance };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init();
      wirePickers();
    });
  } else {
    init();
    wirePickers();
  }
})();
