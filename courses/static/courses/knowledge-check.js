// Knowledge checks answer in place: the form is posted to the JSON API and the
// server's feedback replaces the feedback area. Without this script the form
// posts normally and the lesson is shown again with the feedback.
(function () {
  "use strict";

  function formPayload(form) {
    var data = new FormData(form);
    return {
      chosen: data.getAll("chosen"),
      diagnoses: data.get("diagnoses") || "",
      procedures: data.get("procedures") || "",
      service_lines: data.get("service_lines") || ""
    };
  }

  function showMessage(region, text) {
    region.textContent = "";
    var list = document.createElement("ul");
    list.className = "errorlist";
    list.setAttribute("role", "alert");
    var item = document.createElement("li");
    item.textContent = text;
    list.appendChild(item);
    region.appendChild(list);
  }

  function updateProgress(progress, lessonCompleted) {
    document.querySelectorAll("[data-course-progress]").forEach(function (box) {
      var bar = box.querySelector("progress");
      if (bar) {
        bar.max = progress.total;
        bar.value = progress.completed;
        bar.textContent = progress.percentage + "%";
      }
      var text = box.querySelector("[data-progress-text]");
      if (text) {
        text.textContent = progress.completed + " of " + progress.total +
          " lessons complete (" + progress.percentage + "%)";
      }
    });
    if (lessonCompleted) {
      document.querySelectorAll("[data-lesson-status]").forEach(function (badge) {
        badge.textContent = "Complete";
        badge.classList.add("badge--ok");
      });
    }
  }

  function submit(event) {
    var form = event.target;
    var region = form.closest("[data-check]").querySelector("[data-feedback]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var button = form.querySelector("button[type=submit]");
    event.preventDefault();
    button.disabled = true;
    fetch(form.dataset.apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": token ? token.value : ""
      },
      body: JSON.stringify(formPayload(form))
    })
      .then(function (response) {
        return response.json().then(
          function (body) { return { ok: response.ok, body: body }; },
          function () { return { ok: false, body: {} }; }
        );
      })
      .then(function (reply) {
        if (!reply.ok) {
          var detail = reply.body.detail;
          showMessage(region, typeof detail === "string" ? detail :
            "Your answer could not be checked. Please try again.");
          return;
        }
        region.innerHTML = reply.body.feedback_html;
        updateProgress(reply.body.course_progress, reply.body.lesson_completed);
        if (reply.body.passed) {
          // A passed check takes no more answers (the server would refuse them).
          form.querySelectorAll("fieldset, input, textarea").forEach(function (field) {
            field.disabled = true;
          });
          button.remove();
        } else {
          button.textContent = "Try again";
        }
        var shown = region.firstElementChild;
        if (shown) { shown.focus(); }
      })
      .catch(function () {
        showMessage(region, "The server could not be reached. Please try again.");
      })
      .finally(function () { button.disabled = false; });
  }

  document.querySelectorAll("form[data-check-form]").forEach(function (form) {
    form.addEventListener("submit", submit);
  });
})();
