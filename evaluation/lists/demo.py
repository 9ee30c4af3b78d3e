"""Demo score runs and target lists for `seed_demo`.

This year's lists are scored and approved (the year the annual review looks back on); next
year's are in every state, so each role finds work: drafts for segment managers, submitted
lists for BU VPs, consolidated ones for BG VPs, and one approved list. BU1's next-year lists
stay short of approval, so its criteria sets remain open for the review's revisions.
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction

from evaluation.criteria.demo import seed_criteria
from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_submit,
)
from evaluation.lists.people import account_managers_of, bg_vps_of, bu_vps_of, segment_managers_of
from evaluation.lists.services import (
    target_entry_plan_save,
    target_list_owners_assign,
    target_lists_score_and_build,
)
from evaluation.models import TargetList

User = get_user_model()
State = TargetList.State

PLANS = [
    ("年内完成首个项目签约", "高层拜访，联合方案研讨，提交解决方案建议书"),
    ("扩大合作至第二条产品线", "梳理现有合作成效，安排技术交流会"),
    ("建立稳定的决策层关系", "季度业务回顾，邀请参加行业峰会"),
]
# Next year's state per segment; segments not named stay drafts.
NEXT_YEAR_STATES = {
    "AUTO": State.CONSOLIDATED,
    "ELEC": State.SUBMITTED,
    "CHEM": State.SUBMITTED,
    "FOOD": State.CONSOLIDATED,
    "BANK": State.APPROVED,
    "INSU": State.CONSOLIDATED,
    "LOGI": State.SUBMITTED,
}
STEP_ORDER = [State.SUBMITTED, State.CONSOLIDATED, State.APPROVED]


def _first(people):
    return people.order_by("username").first()


def _own_and_plan(target_list: TargetList, year: int, *, leave_unowned: int = 0) -> None:
    """Owners round-robin over the BU's account managers; plans for the first targets."""
    managers = list(account_managers_of(target_list.segment))
    manager = _first(segment_managers_of(target_list.segment))
    entries = list(target_list.entries.targets().order_by("rank"))
    if not managers or not entries:
        return
    keep = entries[: len(entries) - leave_unowned] if leave_unowned else entries
    for owner, group in itertools.groupby(
        sorted(zip(itertools.cycle(managers), keep), key=lambda pair: pair[0].pk),
        key=lambda pair: pair[0],
    ):
        target_list_owners_assign(
            target_list=target_list,
            entry_ids=[entry.pk for _owner, entry in group],
            owner=owner,
            by=manager,
        )
    for index, entry in enumerate(keep[:6]):
        entry.refresh_from_db()
        objective, actions = PLANS[index % len(PLANS)]
        target_entry_plan_save(
            entry=entry,
            objective=objective,
            actions=actions,
            next_date=datetime.date(year, 1 + index * 2, 15),
            by=manager,
        )


def _advance(target_list: TargetList, state: str) -> None:
    segment = target_list.segment
    steps = {
        State.SUBMITTED: (target_list_submit, segment_managers_of(segment)),
        State.CONSOLIDATED: (target_list_consolidate, bu_vps_of(segment)),
        State.APPROVED: (target_list_approve, bg_vps_of(segment)),
    }
    for step in STEP_ORDER[: STEP_ORDER.index(state) + 1] if state in STEP_ORDER else []:
        move, people = steps[step]
        move(target_list=target_list, by=_first(people), comment="")


@transaction.atomic
def seed_target_lists(this_year: int) -> dict:
    """Idempotent: a year that already has lists is left alone."""
    made = {}
    if not TargetList.objects.filter(year=this_year).exists():
        seed_criteria(this_year)
        target_lists_score_and_build(year=this_year, facts_year=this_year - 1)
        for target_list in TargetList.objects.filter(year=this_year):
            _own_and_plan(target_list, this_year)
            _advance(target_list, State.APPROVED)
        made[this_year] = TargetList.objects.filter(year=this_year).count()
    next_year = this_year + 1
    if not TargetList.objects.filter(year=next_year).exists():
        seed_criteria(next_year)
        target_lists_score_and_build(year=next_year, facts_year=this_year)
        for target_list in TargetList.objects.filter(year=next_year).select_related("segment"):
            state = NEXT_YEAR_STATES.get(target_list.segment.code)
            _own_and_plan(target_list, next_year, leave_unowned=0 if state else 3)
            if state:
                _advance(target_list, state)
        made[next_year] = TargetList.objects.filter(year=next_year).count()
    return made
