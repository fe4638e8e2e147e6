from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Performance indicators; evaluation rounds (mid-term, spot check, acceptance), self-evaluations,
    expert scoring, outcomes with rectification, extensions."""

    name = "evaluation"
    verbose_name = "评审与评估"

    def ready(self):
        from evaluation import dashboard, navigation, reports, rules  # noqa: F401  panels, menu, labels, documents, permissions
