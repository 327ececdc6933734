// A page that shows work in progress (grading, a sitting) reloads itself every
// `data-auto-refresh` seconds while its pause button is not pressed: WCAG 2.2.1
// asks that a timed change can be stopped, which a <meta http-equiv="refresh">
// cannot be. Without this script the page offers its "Refresh now" link only.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-auto-refresh]");
  if (!box) return;
  const seconds = Number(box.dataset.autoRefresh);
  const pause = box.querySelector("button");
  let timer = window.setTimeout(() => window.location.reload(), seconds * 1000);
  pause.hidden = false;
  pause.addEventListener("click", () => {
    const paused = pause.getAttribute("aria-pressed") === "true";
    window.clearTimeout(timer);
    if (paused) {
      timer = window.setTimeout(() => window.location.reload(), seconds * 1000);
    }
    pause.setAttribute("aria-pressed", String(!paused));
  });
});
