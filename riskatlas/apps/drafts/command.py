"""The Django half of ``riskatlas extract FILE --into ASSESSMENT`` (the click command lives
in the pure extraction package and imports this only when --into is given)."""

from __future__ import annotations

import click

from riskatlas.apps.assessments.lookup import AssessmentNotFound
from riskatlas.apps.assessments.models import FrozenVersionError
from riskatlas.apps.drafts import services
from riskatlas.apps.drafts.views import review_url


def read_into_version(ref: str, title: str, text: str, use_model: bool = True) -> None:
    """Store the report and its proposed items in the version; print what was found and
    where to review it. Exit 1 when the version is missing, in review or frozen."""
    try:
        version = services.editable_version(ref)
        document = services.read_into(version, title, text, use_model=use_model)
    except (AssessmentNotFound, FrozenVersionError) as error:
        raise click.ClickException(str(error)) from error
    if getattr(document, "already_read", False):
        click.echo(
            f"Already read into {version.assessment.slug} version {version.number} as "
            f"“{document.title}”: nothing was added. Review it at {review_url(document)}"
        )
        return
    found = services.counts(document)
    click.echo(
        f"Read “{document.title}” into {version.assessment.slug} version {version.number}: "
        f"{sum(found.values())} item{'' if sum(found.values()) == 1 else 's'} to review"
    )
    for kind, n in found.items():
        click.echo(f"  {kind:<15} {n:>4}")
    click.echo(f"Review them at {review_url(document)}")
