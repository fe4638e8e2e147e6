"""The evaluation app's records: the performance-indicator table (indicators.py) and the evaluation
cycle's rounds, self-evaluations, scores, decisions, rectifications and extensions (rounds.py)."""

from evaluation.models.indicators import Comparator, Indicator, IndicatorKind, PerformanceTable  # noqa: F401
from evaluation.models.pilot import MONTHLY_FIGURES, MonthlyReport, ShowcaseCategory, ShowcaseItem, ShowcaseStatus  # noqa: F401
from evaluation.models.rounds import (  # noqa: F401
    ACCEPTANCE_ATTEMPTS,
    ENTRY_TRANSITIONS,
    EXTENSION_TRANSITIONS,
    KIND_OUTCOMES,
    RECTIFICATION_TRANSITIONS,
    ROUND_TRANSITIONS,
    SCORE_TRANSITIONS,
    Decision,
    EntryStatus,
    EvaluationFile,
    EvaluationRound,
    EvaluationScore,
    Extension,
    ExtensionStatus,
    Grade,
    Outcome,
    Rectification,
    RectificationStatus,
    RoundCriterion,
    RoundEntry,
    RoundKind,
    RoundStatus,
    ScoreStatus,
    Selection,
    SelfEvaluation,
)
