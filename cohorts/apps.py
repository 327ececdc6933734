from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Classes"

    def ready(self):
        from cohorts import selectors, signals  # noqa: F401
        from core.dashboard import Audience, DashboardPanel, register_panel
        from exams.review_policies import register_review_policy_source
        from readiness.learner_sources import register_learner_source

        register_review_policy_source(selectors.class_review_policies)
        register_learner_source(selectors.learner_ids_taught_by)
        register_panel(
            DashboardPanel(
                template_name="cohorts/dashboard_panel.html",
                get_context=selectors.learner_dashboard_context,
                order=5,
                audience=Audience.LEARNER,
            )
        )
        register_panel(
            DashboardPanel(
                template_name="cohorts/instructor_panel.html",
                get_context=selectors.instructor_dashboard_context,
                order=10,
                audience=Audience.INSTRUCTOR,
            )
        )
