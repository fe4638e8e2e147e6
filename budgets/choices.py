"""States of a spending plan and an adjustment, and the moves between them, as plain data."""

from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    SUBMITTED = "submitted", "待审批"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已批复"


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class MilestoneStatus(models.TextChoices):
    OPEN = "open", "进行中"
    DONE = "done", "已完成"


# action → (states it may start from, state it leads to)
PLAN_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "save": (frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED}), ""),  # stays where it is
    "submit": (frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED}), PlanStatus.SUBMITTED),
    "approve": (frozenset({PlanStatus.SUBMITTED}), PlanStatus.APPROVED),
    "return": (frozenset({PlanStatus.SUBMITTED}), PlanStatus.RETURNED),
}

ADJUSTMENT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({AdjustmentStatus.PENDING}), AdjustmentStatus.APPROVED),
    "refuse": (frozenset({AdjustmentStatus.PENDING}), AdjustmentStatus.REFUSED),
}
