"""Duty of care for trips (issue 14): check-ins and their escalation, alerts when what a trip's
decision rests on changes, who is where, and calendar files.

The trips themselves (travellers, segments, approvals, check-in rows) are the travel app's;
this app reacts to them through signals (``signals.py``: an approved trip gets its check-ins
and links, a published version is checked against upcoming trips on the queue) and runs the
scheduled checks on the task queue (``tasks.py``). Messages go through the notifications app.
"""
