"""Sources (Admiralty-graded), evidence items, actors and incidents."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from riskatlas.apps.assessments.models.assessments import VersionPart

CREDIBILITY = [MinValueValidator(1), MaxValueValidator(6)]


class Source(VersionPart):
    class Reliability(models.TextChoices):
        A = "A", "A – completely reliable"
        B = "B", "B – usually reliable"
        C = "C", "C – fairly reliable"
        D = "D", "D – not usually reliable"
        E = "E", "E – unreliable"
        F = "F", "F – reliability cannot be judged"

    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    author = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices)
    credibility = models.PositiveSmallIntegerField(validators=CREDIBILITY)
    note = models.TextField(blank=True)

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_source")]

    def __str__(self) -> str:
        return f"{self.title} ({self.reliability}{self.credibility})"


class Evidence(VersionPart):
    """A graded piece of evidence behind a judgement: a source, what it says, how credible."""

    class Subject(models.TextChoices):
        CONTEXT = "context", "Context section"
        ACTOR = "actor", "Actor"
        INCIDENT = "incident", "Incident"
        THREAT = "threat", "Threat"
        RISK = "risk", "Risk"
        RECOMMENDATION = "recommendation", "Recommendation"
        WATCH_ITEM = "watch_item", "Watch item"
        AREA = "area", "Area"
        PLACE = "place", "Place"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    credibility = models.PositiveSmallIntegerField(null=True, blank=True, validators=CREDIBILITY)
    quote = models.TextField(blank=True)
    note = models.TextField(blank=True)
    subject_kind = models.CharField(max_length=20, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField()

    class Meta(VersionPart.Meta):
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["subject_kind", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.source.key}: {self.quote[:50]}"

    @property
    def grade(self) -> str:
        return f"{self.source.reliability}{self.credibility or self.source.credibility}"

    @property
    def is_judgement(self) -> bool:
        """A named judgement (its source is of kind analyst: who and when; the note: why),
        not a quoted text."""
        return self.source.kind == "analyst"


class Actor(VersionPart):
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    type = models.CharField(max_length=20)
    status = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    strength_estimate = models.CharField(max_length=300, blank=True)
    strength_fighters = models.PositiveIntegerField(null=True, blank=True)
    strength_as_of = models.DateField(null=True, blank=True)
    strength_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    strength_credibility = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=CREDIBILITY
    )
    areas = models.JSONField(default=list, blank=True, help_text="Area codes")
    categories = models.JSONField(default=list, blank=True)

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_actor")]

    def __str__(self) -> str:
        return self.name


class ActorLink(VersionPart):
    """A relation between two actors ("allied with", "splinter of")."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.actor} {self.relation} {self.other}"


class Incident(VersionPart):
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    date = models.CharField(max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    place = models.ForeignKey(
        "geography.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "geography.AssessmentArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    categories = models.JSONField(default=list)
    actors = models.JSONField(default=list, blank=True, help_text="Actor ids")
    killed = models.PositiveIntegerField(null=True, blank=True)
    injured = models.PositiveIntegerField(null=True, blank=True)
    abducted = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_incident")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def date_precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}.get(len(self.date), "unknown")
