"""Transactional outbox: ``emit()`` writes an event in the caller's transaction."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from yiwang.core.models import OutboxEvent


def emit(name: str, payload: dict[str, Any] | None = None) -> OutboxEvent:
    """Record that something happened; dispatch happens later, only if the transaction commits."""
    clean = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))
    return OutboxEvent.objects.create(name=name, payload=clean)
