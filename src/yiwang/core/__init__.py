"""Shared kernel: identifiers, working-day calendar, personal-data crypto, audit log, outbox."""
