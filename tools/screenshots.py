"""Screenshots of the site's main pages at a desktop and a phone width, for the docs
and for review: `make screenshots` (docs/accessibility.md).

The site runs under gunicorn on a free port, on a copy of the demo database that
`make setup` builds (db.sqlite3, or the file given as the argument), so that what
the visit does (an exam started to show its question page, sessions) stays out of
the demo. The demo learner and the demo instructor log in as a person does, the
instructor with a TOTP code; each page is saved full length as
docs/screenshots/<page>-<width>.png.
"""

import os
import sqlite3
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = ROOT / "db.sqlite3"
OUTPUT = ROOT / "docs" / "screenshots"
WIDTHS = (1280, 375)
HEIGHT = 800
START_TIMEOUT_S = 60


def main(database: Path = DATABASE) -> None:
    if not database.exists():
        sys.exit(f"No demo database at {database}: run `make setup` first.")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "db.sqlite3"
        # SQLite's backup API: a consistent copy even while the database is in use.
        with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        database_url = f"sqlite:///{copy}"
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.dev")
        # Playwright's sync API runs an event loop in this thread; the ORM look-ups
        # made around it are synchronous.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        shoot_all(database_url)


def shoot_all(database_url: str) -> None:
    from playwright.sync_api import sync_playwright

    from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_user
    from accounts.roles import Role
    from tests.support.browser import chromium_launch, log_in, page_open
    from tests.support.gunicorn import gunicorn_start, gunicorn_stop

    learner, instructor = demo_user(Role.LEARNER), demo_user(Role.INSTRUCTOR)
    pages = instructor_pages()
    process, port = gunicorn_start(
        database_url,
        ["--workers=2"],
        lambda port: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz"),
        START_TIMEOUT_S,
        # Static files from the apps' folders (whitenoise), as `make run` serves them.
        env={"DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]},
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = chromium_launch(playwright)
            base_url = f"http://127.0.0.1:{port}"
            page = page_open(browser, base_url)
            shoot(page, "home", "/")
            log_in(page, learner.email, password=DEMO_PASSWORD)
            for name, path in learner_pages(learner):
                shoot(page, name, path)
            shoot(page, "exam-question", exam_question(page))
            page.context.close()

            page = page_open(browser, base_url)
            log_in(page, instructor.email, DEMO_TOTP_SECRET, DEMO_PASSWORD)
            for name, path in pages:
                shoot(page, name, path)
            browser.close()
    finally:
        gunicorn_stop(process)
    print(f"Screenshots in {OUTPUT.relative_to(ROOT)}/")


def learner_pages(learner) -> list[tuple[str, str]]:
    from django.urls import reverse

    from case_studies.models import CaseAttempt
    from certifications.models import Certification
    from courses.models import Enrolment, LessonPage
    from exams.models import Attempt

    feedback = (
        CaseAttempt.objects.filter(learner=learner, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .first()
    )
    course = Enrolment.objects.filter(learner=learner).first().course
    lesson = next(
        lesson
        for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
        if lesson.check_ids()
    )
    graded = Attempt.objects.filter(
        learner=learner, status=Attempt.Status.GRADED
    ).first()
    certification = Certification.objects.order_by("pk").first()
    return [
        ("dashboard", reverse("core:dashboard")),
        ("case-library", reverse("case_studies:library")),
        ("case-practice", reverse("case_studies:practice", args=[feedback.case.slug])),
        ("case-feedback", reverse("case_studies:attempt", args=[feedback.pk])),
        ("lesson", lesson.url),
        ("exam-results", reverse("exams:results", args=[graded.pk])),
        ("readiness", reverse("readiness:detail", args=[certification.slug])),
    ]


def exam_question(page) -> str:
    """The first question of a practice exam the learner starts (in the copy)."""
    from exams.models import Blueprint

    blueprint = Blueprint.objects.filter(published=True).order_by("slug").first()
    page.goto(f"/exams/{blueprint.slug}/")
    start = page.get_by_role("button", name="Start the exam")
    if start.count():
        start.click()
    else:
        page.get_by_role("link", name="Resume your attempt").click()
    page.wait_for_url("**/questions/*/")
    return page.url


def instructor_pages() -> list[tuple[str, str]]:
    """The demo class's pages, its mock exam's item analysis computed first (a
    visit would leave that to the Celery worker, which is not running)."""
    from django.urls import reverse

    from cohorts.models import Assignment, Cohort
    from item_analysis.services import snapshot_recompute

    cohort = Cohort.objects.order_by("pk").first()
    assignment = Assignment.objects.filter(cohort=cohort, blueprint__isnull=False)
    blueprint = assignment.first().blueprint
    snapshot_recompute(scope=f"exam:{blueprint.slug}")
    return [
        ("gradebook", reverse("gradebook:cohort", args=[cohort.pk])),
        ("class", reverse("cohorts:detail", args=[cohort.pk])),
        ("item-analysis", reverse("item_analysis:exam", args=[blueprint.slug])),
    ]


def shoot(page, name: str, path: str) -> None:
    # Charts drawn at once, not caught halfway through their animation.
    page.emulate_media(reduced_motion="reduce")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.goto(path)
        # Charts draw after the load event; let them settle.
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUTPUT / f"{name}-{width}.png", full_page=True)
    print(f"{name}: {path}")


if __name__ == "__main__":
    main(*(Path(argument) for argument in sys.argv[1:2]))
