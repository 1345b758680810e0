"""The JSON API under /api/v1/: assessments, versions, risks, incidents, actors and areas,
with the same team rules as the pages (see ``access``) and an OpenAPI description."""
