"""Background work: jobs recorded in the database, run by a task queue's worker processes.

The queue is Huey (docs/decisions/0006-background-work-on-huey.md): on the default install its
queue is an SQLite file in ``RISKATLAS_HOME``, with ``REDIS_URL`` set it is Redis. A ``Job``
row is what people see — queued, running (with a heartbeat), done with its file, or failed
with the reason — and what makes a task survive its worker: a running job whose heartbeat has
stopped is queued again, up to its attempts, then marked failed (``running.recover``).
"""
