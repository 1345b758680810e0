"""What the feeds app tells others: ``feeds_changed``, sent after a refresh of the live feeds
recorded changes (``changes``: how many), so that what reads them (the trip alerts of
``apps/care``) runs at once rather than at its next scheduled run."""

from __future__ import annotations

from django.dispatch import Signal

feeds_changed = Signal()
