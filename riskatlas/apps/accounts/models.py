"""Teams (organisations) and each user's role in a team."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    READER = "reader", "Reader"
    ANALYST = "analyst", "Analyst"
    REVIEWER = "reviewer", "Reviewer"
    ADMIN = "admin", "Admin"


# What each role may do; a role can do everything the roles before it can.
ROLE_RANK = {Role.READER: 1, Role.ANALYST: 2, Role.REVIEWER: 3, Role.ADMIN: 4}


class Team(models.Model):
    """An organisation or unit that owns assessments; users see only their teams' work."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    # Publication gates (riskatlas/method/data/publication_gates.yaml) apply to every team
    # unless switched off here, one by one; four eyes too.
    gates_off = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the publication gates this team does not apply.",
    )
    four_eyes = models.BooleanField(
        default=True,
        help_text="The reviewer who approves a version must not be the one who submitted it.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="one_role_per_team")]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.role}"
