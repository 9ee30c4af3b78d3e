"""The evaluation app's models, one module per step; Django and the rest of the project import
them from here (one app label, one migration history)."""

from evaluation.criteria.models import (  # noqa: F401
    ATTRACTIVENESS,
    FEASIBILITY,
    CriteriaSet,
    CriteriaSetQuerySet,
    CriteriaSetVersion,
    Criterion,
    CriterionTemplate,
    Family,
    Goal,
    Tier,
    TierPolicy,
)
from evaluation.lists.models import (  # noqa: F401
    ListTransition,
    TargetEntry,
    TargetEntryQuerySet,
    TargetList,
    TargetListQuerySet,
)
from evaluation.scoring.models import RescoreReport, ScoreEntry, ScoreRun  # noqa: F401
