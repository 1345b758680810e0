"""A team's template: what its new assessments start with (exposure groups, context
sections, matrix). A team without one starts from the shipped default."""

from __future__ import annotations

from django.db import models

from riskatlas.apps.accounts.models import Team
from riskatlas.document.starting import Template, default_template


class TeamTemplate(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="template")
    exposure_groups = models.JSONField(default=list, blank=True)
    context = models.JSONField(default=list, blank=True)
    matrix = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.team}'s template"

    def as_template(self) -> Template:
        return Template(list(self.exposure_groups), list(self.context), dict(self.matrix))


def template_of(team: Team) -> Template:
    """The team's template, or the shipped default when it has none."""
    found = TeamTemplate.objects.filter(team=team).first()
    return found.as_template() if found is not None else default_template()
