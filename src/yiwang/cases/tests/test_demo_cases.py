"""The demo cases of ``make run`` are made through the services, once."""

import pytest

from yiwang.cases.demo import STAGES, load_demo_cases
from yiwang.cases.models import Case, WorkItem
from yiwang.cases.status import CaseStatus


@pytest.mark.django_db
def test_demo_cases_cover_the_stages_once(settings, tmp_path):
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.catalog.demo import load_demo_catalogue
    from yiwang.org.demo import load_demo_org

    settings.MEDIA_ROOT = tmp_path
    load_demo_org()
    load_demo_accounts()
    load_demo_catalogue()
    assert load_demo_cases() == len(STAGES)
    statuses = list(Case.objects.order_by("idempotency_key").values_list("status", flat=True))
    assert statuses == [CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED,
                        CaseStatus.IN_REVIEW, CaseStatus.IN_REVIEW, CaseStatus.IN_REVIEW, CaseStatus.DELIVERED]
    open_steps = sorted(WorkItem.objects.filter(status=WorkItem.Status.OPEN).values_list("step", flat=True))
    assert open_steps == ["accept", "approve", "review", "undertake"]
    assert load_demo_cases() == 0 and Case.objects.count() == len(STAGES)
