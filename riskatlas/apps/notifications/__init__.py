"""Notifications and alerts: in the app, by email (SMTP) and to team webhooks.

``sending.notify(recipients, kind, key, subject, body, link)`` records one message per
recipient and event (``key``): a person gets one message for one change, however often the
change is noticed. Email and webhooks go out from the task queue (``tasks.py``, decision
0006), never inside a request; each user chooses email on or off and immediate or a daily
digest. Webhook bodies are JSON signed with HMAC-SHA256 over the team webhook's secret.
"""
