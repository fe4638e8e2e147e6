from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Expert panels, rubrics and scores; performance indicators; mid-term evaluation and acceptance."""
    name = "evaluation"
    verbose_name = "评审与评估"
