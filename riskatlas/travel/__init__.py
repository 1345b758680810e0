"""Travel decisions: a trip checked against the published assessments and a travel policy.

Pure Python on plain data, like ``riskatlas.method``: the trip file and the policy
(``trip_file``, ``policy``), where each segment goes and what applies there (``exposure``),
the decision's inputs and outcome (``check``), the check-in schedule (``schedule``) and the
traveller brief (``brief``). The web app (``riskatlas.apps.travel``) and the command line
(``riskatlas trip``) call these.
"""
