"""Where a read report is reviewed: the page's address, for the views and the command line
(``riskatlas extract --into``), which must not import the views."""

from __future__ import annotations

from django.urls import reverse

from riskatlas.apps.drafts.models import SourceDocument


def review_url(document: SourceDocument) -> str:
    version = document.version
    return reverse("drafts:review", args=[version.assessment.slug, version.number, document.pk])
