"""Views of the assessments app, one module per kind of work:
``pages`` (reading), ``editing`` (forms), ``workflow`` (review, approval, versions)."""
