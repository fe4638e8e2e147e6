from django.urls import path

from budgets.views import plan, work

app_name = "budgets"
urlpatterns = [
    path("<int:pk>/budget/", plan.plan_view, name="plan"),
    path("<int:pk>/budget/submit/", plan.plan_submit_view, name="plan_submit"),
    path("<int:pk>/budget/decide/", plan.plan_decide_view, name="plan_decide"),
    path("<int:pk>/budget/adjustments/", plan.adjustment_request_view, name="adjustment_request"),
    path(
        "<int:pk>/budget/adjustments/<int:adjustment_pk>/decide/", plan.adjustment_decide_view, name="adjustment_decide"
    ),
    path("<int:pk>/spending/", work.spending_view, name="spending"),
    path("<int:pk>/spending/<int:expenditure_pk>/voucher/", work.voucher_view, name="voucher"),
    path("<int:pk>/tasks/", work.tasks_view, name="tasks"),
    path("<int:pk>/tasks/<int:task_pk>/done/", work.task_done_view, name="task_done"),
    path("<int:pk>/tasks/<int:task_pk>/remove/", work.task_remove_view, name="task_remove"),
]
