"""riskatlas: open-source security risk assessment.

The pure core (``riskatlas.method``, ``riskatlas.document``, ``riskatlas.geography``,
``riskatlas.reports``) imports nothing from Django; the Django apps in ``riskatlas.apps`` and
the command line in ``riskatlas.cli`` are thin edges that call it.
"""

__version__ = "0.1.0"
