"""Single-row tables that serialise writers (a chain head, a log state): lock the row, creating
it on first use. Two first writers may race to create it; the loser's insert fails inside its
savepoint and it then waits for the winner's lock like everybody else."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction


def locked_singleton(model: type[models.Model], pk: int = 1, **defaults):
    """The row ``pk`` of ``model``, locked (SELECT … FOR UPDATE) in the caller's transaction."""
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        try:
            with transaction.atomic():
                model.objects.create(pk=pk, **defaults)
        except IntegrityError:
            pass
        row = model.objects.select_for_update().get(pk=pk)
    return row
