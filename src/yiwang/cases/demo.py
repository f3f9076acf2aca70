"""Demo cases for ``make run``: a few of citizen1's cases at different stages, made through the real
services, so that 我的办件, the workbench and the board have something to show. Idempotent: once the
demo cases exist, loading again changes nothing."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases import applying, handling
from yiwang.cases.models import Case, WorkItem

DEMO_KEY = "demo-case-"
# How far each demo case goes: the last action done on it.
STAGES = ["draft", "submitted", "correction", "accept", "undertake", "review", "delivered"]
STEP_ACTIONS = [("undertake", "undertaker", "pass"), ("review", "reviewer", "pass"),
                ("approve", "approver", "decide_grant"), ("complete", "undertaker", "complete")]
STOP_BEFORE = {"accept": "undertake", "undertake": "review", "review": "approve", "delivered": None}


def blank_pdf() -> bytes:
    """A one-page PDF that passes the upload checks (demo materials; tests use it too)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _items(clerk_department_id: int) -> list:
    """Personal 承诺件 that can be applied for online and are accepted at the clerk's window."""
    from yiwang.catalog import codes
    from yiwang.catalog.models import ServiceItem, VersionStatus

    found, centres = [], {}
    for item in (ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED, current__process_template="promised")
                 .select_related("current", "department__region").order_by("-popularity", "code")):
        v = item.current
        if set(v.audiences or []) == {"1"} and codes.is_online_capable(v.online_depth) \
                and applying.accepting_department(item, centres).pk == clerk_department_id:
            found.append(item)
    return found


def _staff(item, role: str):
    from yiwang.accounts.models import User

    return User.objects.get(username=f"{item.department.code}-{role}")


def load_demo_cases() -> int:
    """Make the demo cases once; returns how many were made."""
    from yiwang.accounts.models import User
    from yiwang.cases.benchseed import Person, sample_form

    citizen = User.objects.filter(username="citizen1").first()
    clerk = User.objects.filter(username="window1").first()
    if citizen is None or clerk is None or Case.objects.filter(idempotency_key__startswith=DEMO_KEY).exists():
        return 0
    items = _items(clerk.staff_roles.first().department_id)
    if not items:
        return 0
    rng, pdf = random.Random(2026), blank_pdf()
    person = Person(id=citizen.pk, name=citizen.name, id_number=citizen.id_number, phone=citizen.phone)
    for n, stage in enumerate(STAGES):
        item = items[n % len(items)]
        case, _created = applying.create_draft(citizen, item.code, idempotency_key=f"{DEMO_KEY}{n}")
        answers = sample_form(item.current.form_schema or {}, rng, person)
        applying.save_form(citizen, case, {**answers, **case.form_data})
        for m in case.materials.all():
            applying.attach_material(citizen, case, m.material_code,
                                     SimpleUploadedFile(f"{m.name}.pdf", pdf, content_type="application/pdf"))
        if stage == "draft":
            continue
        applying.submit(citizen, case, declaration=True)
        if stage == "submitted":
            continue
        accept = case.work_items.get(step="accept", status=WorkItem.Status.OPEN)
        if stage == "correction":
            first = case.materials.first()
            handling.act(clerk, accept, "request_correction", {"missing": [first.material_code],
                                                                "opinion": "请上传签字清晰的版本。"})
            continue
        handling.act(clerk, accept, "accept", {"opinion": "材料齐全，予以受理。"})
        for step, role, action in STEP_ACTIONS:
            if step == STOP_BEFORE[stage]:
                break
            wi = case.work_items.get(step=step, status=WorkItem.Status.OPEN)
            handling.act(_staff(item, role), wi, action, {"opinion": "同意。"})
        if stage == "delivered":
            deliver = case.work_items.filter(step="deliver", status=WorkItem.Status.OPEN).first()
            if deliver is not None:
                handling.act(clerk, deliver, "deliver", {"method": "window"})
    return len(STAGES)
