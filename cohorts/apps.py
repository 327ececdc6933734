from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Classes"

    def ready(self):
        from cohorts import selectors, signals  # noqa: F401
        from exams.review_policies import register_review_policy_source
        from readiness.learner_sources import register_learner_source

        register_review_policy_source(selectors.class_review_policies)
        register_learner_source(selectors.learner_ids_taught_by)
