/* The exam page: saves each answer as it is given (queued in localStorage and
   retried while offline), keeps the navigation panel current, and counts down
   from the server's remaining seconds with a monotonic clock, never the
   computer's date. The page works without this script. */
(function () {
  "use strict";

  var timer = document.getElementById("exam-timer");
  var statusEl = document.getElementById("save-status");
  var warning = document.getElementById("exam-warning");
  var form = document.getElementById("exam-form");
  var csrfInput = document.querySelector("[name=csrfmiddlewaretoken]");
  if (!timer || !csrfInput) return;

  var csrf = csrfInput.value;
  var attemptKey = "exam-" + timer.dataset.timeoutUrl;
  var queueKey = attemptKey + "-queue";
  var warnedKey = attemptKey + "-warned";
  var queue = read(localStorage, queueKey, {});
  var sending = false;
  var retryDelay = 1000;
  var retryNow = null; // set while a failed save waits to be retried
  var finishing = false;
  var OFFLINE = "Offline — will retry";

  function read(store, key, fallback) {
    try {
      return JSON.parse(store.getItem(key)) || fallback;
    } catch (error) {
      return fallback;
    }
  }

  function persist() {
    localStorage.setItem(queueKey, JSON.stringify(queue));
  }

  function setStatus(text, state) {
    if (!statusEl) return;
    statusEl.textContent = text;
    statusEl.dataset.state = state;
  }

  /* ---- countdown ---- */
  var deadline = performance.now() + Number(timer.dataset.remaining) * 1000;
  var warned = read(sessionStorage, warnedKey, []);

  function syncTimer(remaining) {
    if (typeof remaining === "number") {
      deadline = performance.now() + remaining * 1000;
    }
  }

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (m < 10 ? "0" : "") + m;
    var ss = (s < 10 ? "0" : "") + s;
    return h > 0 ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function warn(left) {
    var due = [30, 5, 1].filter(function (minutes) {
      return left <= minutes * 60 && warned.indexOf(minutes) < 0;
    });
    if (!due.length || left <= 0) return;
    var minutes = Math.min.apply(null, due);
    warned = warned.concat(due);
    sessionStorage.setItem(warnedKey, JSON.stringify(warned));
    warning.textContent =
      minutes === 1 ? "1 minute left." : minutes + " minutes left.";
    warning.hidden = false;
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - performance.now()) / 1000));
    timer.textContent = format(left);
    timer.classList.toggle("is-low", left <= 300);
    warn(left);
    if (left <= 0) {
      timeUp();
      return;
    }
    window.setTimeout(tick, 1000 - ((deadline - performance.now()) % 1000 || 0));
  }

  /* The countdown asks; the server decides whether time is up. */
  function timeUp() {
    if (finishing) return;
    finishing = true;
    setStatus("Time is up: submitting your saved answers…", "saving");
    flush().then(function () {
      return fetch(timer.dataset.timeoutUrl, {
        method: "POST",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
        credentials: "same-origin",
      });
    }).then(function (response) {
      return response.json();
    }).then(function (attempt) {
      if (attempt.status === "in_progress") {
        finishing = false;
        syncTimer(attempt.remaining_seconds);
        tick();
      } else {
        window.location.assign(timer.dataset.resultsUrl);
      }
    }).catch(function () {
      finishing = false;
      setStatus(OFFLINE, "offline");
      window.setTimeout(timeUp, 3000);
    });
  }

  /* ---- saving ---- */
  function snapshot() {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "go" && name !== "csrfmiddlewaretoken") entries.push([name, value]);
    });
    return entries;
  }

  var lastChange = performance.now();

  function enqueue() {
    var now = performance.now();
    var entries = snapshot();
    entries.push(["time_spent", String(Math.round((now - lastChange) / 1000))]);
    lastChange = now;
    queue[form.getAttribute("action")] = { entries: entries, at: Date.now() };
    persist();
    markPanel();
    /* A retry still waiting means the connection is down: keep the warning. */
    if (retryNow) setStatus(OFFLINE, "offline");
    else setStatus("Saving…", "saving");
    return flush();
  }

  function markPanel() {
    var link = document.querySelector(
      '.exam-nav__link[data-position="' + form.dataset.position + '"]'
    );
    if (!link) return;
    var answered = snapshot().some(function (entry) {
      return (entry[0] === "options" || /^(diagnoses|procedures|service_lines)$/.test(entry[0])) &&
        String(entry[1]).trim() !== "";
    });
    var flag = form.querySelector("#id_flag");
    link.classList.toggle("is-answered", answered || link.classList.contains("is-answered"));
    link.classList.toggle("is-flagged", !!(flag && flag.checked));
  }

  var flushing = null;

  function flush() {
    if (flushing) return flushing;
    flushing = sendNext().finally(function () {
      flushing = null;
    });
    return flushing;
  }

  function sendNext() {
    var urls = Object.keys(queue);
    if (!urls.length) return Promise.resolve();
    var url = urls[0];
    var job = queue[url];
    var body = new URLSearchParams();
    job.entries.forEach(function (entry) {
      body.append(entry[0], entry[1]);
    });
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server error");
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        if (queue[url] === job || (queue[url] && queue[url].at === job.at)) {
          delete queue[url];
          persist();
        }
        retryDelay = 1000;
        if (response.ok) {
          syncTimer(data.remaining_seconds);
          if (Object.keys(queue).length) setStatus("Saving…", "saving");
          else setStatus("Saved", "saved");
        } else if (data.closed) {
          queue = {};
          persist();
          window.location.assign(timer.dataset.resultsUrl);
          return;
        } else {
          setStatus("Not saved: " + (data.detail || response.status), "error");
        }
        return sendNext();
      });
    }).catch(function () {
      setStatus(OFFLINE, "offline");
      var delay = retryDelay;
      retryDelay = Math.min(retryDelay * 2, 15000);
      return new Promise(function (resolve) {
        retryNow = resolve;
        window.setTimeout(resolve, delay);
      }).then(function () {
        retryNow = null;
        return sendNext();
      });
    });
  }

  /* A save queued on another page (or before a reload) wins over what the
     server rendered, until it is sent. */
  function applyPending() {
    var job = form && queue[form.getAttribute("action")];
    if (!job) return;
    var values = {};
    job.entries.forEach(function (entry) {
      (values[entry[0]] = values[entry[0]] || []).push(entry[1]);
    });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name === "options") {
        field.checked = (values.options || []).indexOf(field.value) >= 0;
      } else if (field.name === "flag") {
        field.checked = !!values.flag;
      } else if (field.tagName === "TEXTAREA") {
        field.value = (values[field.name] || [""])[0];
      }
    });
  }

  if (form) {
    applyPending();
    var typing = null;
    form.addEventListener("change", function () {
      enqueue();
    });
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") return;
      window.clearTimeout(typing);
      typing = window.setTimeout(enqueue, 800);
    });
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var go = button ? button.value : "stay";
      event.preventDefault();
      window.clearTimeout(typing);
      var done = enqueue();
      var target = null;
      if (go === "review") target = form.dataset.reviewUrl;
      else if (/^\d+$/.test(go)) target = form.dataset.questionUrl.replace(/\/0\/$/, "/" + go + "/");
      if (!target) return;
      /* The queue is in localStorage, so leaving before the answer is sent loses
         nothing; waiting briefly just avoids a resend. */
      Promise.race([done, new Promise(function (r) { window.setTimeout(r, 1500); })])
        .then(function () {
          window.location.assign(target);
        });
    });
  }

  window.addEventListener("offline", function () {
    setStatus(OFFLINE, "offline");
  });
  /* Back online: retry at once instead of at the end of the back-off. */
  window.addEventListener("online", function () {
    if (retryNow) retryNow();
    else flush();
  });
  if (Object.keys(queue).length) flush();
  tick();
})();
