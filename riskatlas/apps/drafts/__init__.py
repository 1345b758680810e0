"""Drafts: reports read by the extraction engine, proposed as items that an analyst accepts
into an assessment version or rejects (docs/extraction.md, "Wiring drafts into an
assessment")."""
