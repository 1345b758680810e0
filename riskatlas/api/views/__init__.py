"""API views: ``assessments`` (assessments, versions, documents), ``parts`` (risks,
incidents, actors, areas) and ``tokens``."""
