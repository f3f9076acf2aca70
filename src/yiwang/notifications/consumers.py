"""The notifications consumer of the outbox (registered at start-up by the app config)."""

from __future__ import annotations

from yiwang.core.dispatch import consumer
from yiwang.core.models import OutboxEvent
from yiwang.notifications import delivering, fanout, recipients
from yiwang.notifications.rules import ACCOUNT, APPLICANT, RULES, STAFF

_AUDIENCE = {APPLICANT: recipients.applicant_intents, STAFF: recipients.staff_intents,
             ACCOUNT: recipients.account_intents}


@consumer(*RULES)
def notify(events: list[OutboxEvent]) -> None:
    """Runs in the dispatcher's transaction: messages, delivery records and send tasks commit
    together with the events being marked dispatched."""
    by_audience: dict[str, list[OutboxEvent]] = {}
    for e in events:
        by_audience.setdefault(RULES[e.name].audience, []).append(e)
    intents = []
    for audience, group in by_audience.items():
        intents += _AUDIENCE[audience](group)
    for d in fanout.write(intents):
        delivering.enqueue(d)
