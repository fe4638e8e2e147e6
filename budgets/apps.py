from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    """Spending plans (用款方案): grants, budget lines, expenditure, staged schedule, task list."""

    name = "budgets"
    verbose_name = "经费与任务"

    def ready(self):
        from budgets import reports  # noqa: F401  (registers the project documents as report kinds)
