/* The exam page: saves each answer as it is given (queued in localStorage and
   retried while offline), keeps the navigation panel and the review summary
   true to what is saved and what still waits, sends what waits before the exam
   is submitted, and counts down from the server's remaining seconds with a
   monotonic clock, never the computer's date. The page works without this
   script. */
(function () {
  "use strict";

  var timer = document.getElementById("exam-timer");
  var statusEl = document.getElementById("save-status");
  var warning = document.getElementById("exam-warning");
  var form = document.getElementById("exam-form");
  var submitForm = document.getElementById("submit-form");
  var problem = document.getElementById("submit-problem");
  var csrfInput = document.querySelector("[name=csrfmiddlewaretoken]");
  if (!timer || !csrfInput) return;

  var csrf = csrfInput.value;
  var attemptKey = "exam-" + timer.dataset.timeoutUrl;
  var queueKey = attemptKey + "-queue";
  var warnedKey = attemptKey + "-warned";
  var queue = read(localStorage, queueKey, {});
  var refused = {}; // question URL → why the server refused its latest save
  var refusals = 0;
  var retryDelay = 1000;
  var retryNow = null; // set while a failed save waits to be retried
  var sendFailed = null; // set while a submission waits to learn if the queue can go
  var finishing = false;
  var OFFLINE = "Not saved — retrying";
  /* How long a request may take before it counts as failed. A save is one read
     and one UPDATE, a submission one conditional UPDATE (grading runs later), so
     a healthy server answers well within a second; 15 s, the longest back-off
     between retries, leaves room for a slow mobile connection. */
  var REQUEST_LIMIT = 15000;
  var ANSWER_FIELDS = /^(options|diagnoses|procedures|service_lines)$/;

  function read(store, key, fallback) {
    try {
      return JSON.parse(store.getItem(key)) || fallback;
    } catch (error) {
      return fallback;
    }
  }

  function persist() {
    if (Object.keys(queue).length) localStorage.setItem(queueKey, JSON.stringify(queue));
    else localStorage.removeItem(queueKey);
  }

  /* Resolves to the reply's status and JSON (null if it is not JSON). A request
     that neither fails nor answers would hold the queue, and a submission
     waiting for it, for ever, so past the limit (reading the reply included) it
     is aborted and fails. The page's setTimeout times it, not
     AbortSignal.timeout, so that a test's fake clock controls it. */
  function post(url, body) {
    var controller = new AbortController();
    var timeout = window.setTimeout(function () {
      controller.abort();
    }, REQUEST_LIMIT);
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      signal: controller.signal,
    }).then(function (response) {
      return response.json().catch(function () {
        return null;
      }).then(function (data) {
        return { status: response.status, ok: response.ok, data: data };
      });
    }).finally(function () {
      window.clearTimeout(timeout);
    });
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
    var due = [30, 10, 5, 1].filter(function (minutes) {
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
      return post(timer.dataset.timeoutUrl);
    }).then(function (reply) {
      var attempt = reply.data;
      if (!attempt) throw new Error("no answer");
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

  /* Saves are numbered by the server's clock when the answer was given (the
     page's render time plus monotonic time since), so a save that arrives late,
     after a newer one from this tab, another tab or another computer, is refused
     instead of overwriting it. The computer's own date is never used. */
  var serverMs = form ? Number(form.dataset.serverMs) - performance.now() : 0;
  var lastSequence = 0;

  function enqueue() {
    var now = performance.now();
    var entries = snapshot();
    lastSequence = Math.max(lastSequence + 1, Math.round(serverMs + now));
    entries.push(["sequence", String(lastSequence)]);
    queue[form.getAttribute("action")] = { entries: entries, at: Date.now() };
    persist();
    showPanel();
    showSaveState();
    return flush();
  }

  /* ---- what is saved and what waits ---- */
  var links = {}; // question URL → its link in the navigation panel
  var saved = {}; // question URL → { answered, flagged } as the server last confirmed
  Array.prototype.forEach.call(document.querySelectorAll(".exam-nav__link"), function (link) {
    var url = link.getAttribute("href");
    links[url] = link;
    saved[url] = {
      answered: link.classList.contains("is-answered"),
      flagged: link.classList.contains("is-flagged"),
    };
  });

  function given(job) {
    var answer = { answered: false, flagged: false };
    job.entries.forEach(function (entry) {
      if (entry[0] === "flag") answer.flagged = true;
      else if (ANSWER_FIELDS.test(entry[0]) && String(entry[1]).trim() !== "") answer.answered = true;
    });
    return answer;
  }

  /* The server never clears an answer once given, so a saved answer stays
     answered whatever is queued after it. */
  function shown(url) {
    var job = queue[url];
    if (!job) return { answered: saved[url].answered, flagged: saved[url].flagged, pending: false };
    var answer = given(job);
    return { answered: saved[url].answered || answer.answered, flagged: answer.flagged, pending: true };
  }

  function confirmSaved(url, job) {
    if (!saved[url]) return;
    var answer = given(job);
    saved[url] = { answered: saved[url].answered || answer.answered, flagged: answer.flagged };
  }

  function questionNumber(url) {
    return links[url] ? links[url].dataset.position : "?";
  }

  function showPanel() {
    var waiting = false;
    Object.keys(links).forEach(function (url) {
      var link = links[url];
      var state = shown(url);
      waiting = waiting || state.pending;
      link.classList.toggle("is-answered", state.answered);
      link.classList.toggle("is-flagged", state.flagged);
      link.querySelector(".visually-hidden").textContent =
        (state.answered ? ", answered" : ", unanswered") +
        (state.pending ? ", not saved yet" : "") +
        (state.flagged ? ", flagged" : "");
      link.querySelector(".exam-nav__pending").hidden = !state.pending;
    });
    var key = document.getElementById("exam-nav-pending-key");
    if (key) key.hidden = !waiting;
    if (document.getElementById("review-counts")) showReview();
    if (problem && !problem.hidden) showUnsent();
  }

  function questionList(urls) {
    return urls.map(function (url) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = url;
      link.textContent = "Question " + questionNumber(url);
      item.appendChild(link);
      return item;
    });
  }

  function showReview() {
    var groups = { pending: [], unanswered: [], flagged: [] };
    Object.keys(links).forEach(function (url) {
      var state = shown(url);
      if (state.pending) groups.pending.push(url);
      if (!state.answered) groups.unanswered.push(url);
      if (state.flagged) groups.flagged.push(url);
    });
    Object.keys(groups).forEach(function (name) {
      var section = document.getElementById("review-" + name);
      section.hidden = !groups[name].length;
      var list = section.querySelector("ul");
      list.replaceChildren.apply(list, questionList(groups[name]));
    });
    document.getElementById("review-counts").textContent =
      Object.keys(links).length + " questions: " + groups.unanswered.length +
      " unanswered, " + groups.flagged.length + " flagged" +
      (groups.pending.length ? ", " + groups.pending.length + " not saved yet." : ".");
  }

  /* A refused answer stays reported until that question is saved, whatever else
     is saved meanwhile. */
  function showSaveState() {
    var urls = Object.keys(refused);
    if (urls.length) {
      var url = urls[urls.length - 1];
      setStatus("Not saved (question " + questionNumber(url) + "): " + refused[url], "error");
    } else if (retryNow) {
      setStatus(OFFLINE, "offline");
    } else if (Object.keys(queue).length) {
      setStatus("Saving…", "saving");
    } else {
      setStatus("Saved", "saved");
    }
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
    return post(url, body).then(function (reply) {
      if (reply.status >= 500) throw new Error("server error");
      var data = reply.data || {};
      if (queue[url] === job || (queue[url] && queue[url].at === job.at)) {
        delete queue[url];
        persist();
      }
      retryDelay = 1000;
      if (data.closed) {
        queue = {};
        persist();
        window.location.assign(timer.dataset.resultsUrl);
        return;
      }
      delete refused[url];
      if (reply.ok) {
        confirmSaved(url, job);
        syncTimer(data.remaining_seconds);
      } else {
        refused[url] = data.detail || String(reply.status);
        refusals += 1;
      }
      showPanel();
      showSaveState();
      return sendNext();
    }).catch(function () {
      var delay = retryDelay;
      retryDelay = Math.min(retryDelay * 2, 15000);
      var retry = new Promise(function (resolve) {
        retryNow = resolve;
        window.setTimeout(resolve, delay);
      });
      showSaveState();
      if (sendFailed) sendFailed();
      return retry.then(function () {
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

  /* ---- submitting ---- */
  /* An answer that reaches the server after the submission is refused, so the
     queue goes first. If it cannot, the learner hears which answers wait and
     chooses: reconnect (they are sent, then the exam is submitted) or submit
     with only the saved answers. */
  var waitingToSubmit = false;
  var posting = false;

  function sendQueue() {
    if (!Object.keys(queue).length) return Promise.resolve(true);
    return new Promise(function (resolve) {
      sendFailed = function () {
        resolve(false);
      };
      flush().then(function () {
        resolve(true);
      });
      if (retryNow) retryNow();
    }).finally(function () {
      sendFailed = null;
    });
  }

  function showUnsent() {
    var urls = Object.keys(links).filter(function (url) {
      return queue[url];
    });
    if (!urls.length) {
      problem.hidden = true;
      return;
    }
    document.getElementById("submit-problem-text").textContent =
      (urls.length === 1 ? "1 answer is" : urls.length + " answers are") +
      " not saved yet (" + (urls.length === 1 ? "question " : "questions ") +
      urls.map(questionNumber).join(", ") + "). " +
      "When the connection is back they are sent and the exam is submitted. " +
      "Or submit now with only your saved answers.";
    problem.hidden = false;
  }

  function submitWhenSent() {
    waitingToSubmit = true;
    var refusalsBefore = refusals;
    if (Object.keys(queue).length) setStatus("Sending your answers before submitting…", "saving");
    sendQueue().then(function (sent) {
      if (sent) return;
      showUnsent();
      return flush();
    }).then(function () {
      waitingToSubmit = false;
      problem.hidden = true;
      /* A refused answer is shown, not submitted over. */
      if (refusals > refusalsBefore) showSaveState();
      else postSubmission();
    });
  }

  /* The review page's form asks the server to check for unanswered and flagged
     questions first; the server names them and the dialog asks the learner, who
     confirms (sent without the check) or goes back. */
  var confirmDialog = document.getElementById("submit-confirm");

  function askToConfirm(detail) {
    posting = false;
    setStatus("", "idle");
    document.getElementById("submit-confirm-text").textContent = detail;
    confirmDialog.showModal();
  }

  function postSubmission(confirmed) {
    if (posting) return;
    posting = true;
    setStatus("Submitting…", "saving");
    var body = new URLSearchParams(new FormData(submitForm));
    if (confirmed) body.delete("check");
    post(submitForm.getAttribute("action"), body).then(function (reply) {
      if (reply.status === 409 && reply.data && reply.data.confirm && confirmDialog) {
        askToConfirm(reply.data.detail);
        return;
      }
      if (!reply.ok) throw new Error("not submitted");
      /* Whatever still waits, the learner chose to submit without it. */
      queue = {};
      persist();
      window.location.assign(timer.dataset.resultsUrl);
    }).catch(function () {
      posting = false;
      setStatus("Not submitted: the server could not be reached. Submit again.", "error");
    });
  }

  if (confirmDialog) {
    document.getElementById("submit-confirmed").addEventListener("click", function () {
      confirmDialog.close();
      postSubmission(true);
    });
    document.getElementById("submit-cancel").addEventListener("click", function () {
      confirmDialog.close();
    });
  }

  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (event.submitter === document.getElementById("submit-anyway")) postSubmission();
      else if (waitingToSubmit && retryNow) retryNow();
      else if (!waitingToSubmit) submitWhenSent();
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
  showPanel();
  if (Object.keys(queue).length) flush();
  tick();
  /* A new question is a new page: keyboard and screen-reader users start at its
     heading, past the site's header and the timer. */
  var heading = document.getElementById("question-heading");
  if (heading && !document.activeElement.closest("#exam-form")) heading.focus();
})();
