"""The risk form: threat × area × who is exposed, rated on the version's own matrix."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict

from riskatlas.apps.assessments.form_fields import (
    ListChoiceField,
    RatingField,
    category_choices,
    rating_choices,
)
from riskatlas.apps.assessments.models import AssessmentVersion, ExposureGroup, Mitigation, Risk
from riskatlas.apps.assessments.part_form import VersionPartForm, free_key
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.method.matrix import Matrix
from riskatlas.method.mitigations import mitigation_library, suggest_mitigations
from riskatlas.method.scoring import RiskScores, score_risk

RATINGS = ("inherent", "current", "residual")
# A risk's six rating fields, in the form's order ("inherent_likelihood", "inherent_impact"…).
RATING_FIELDS = tuple(f"{which}_{axis}" for which in RATINGS for axis in ("likelihood", "impact"))
# The prefix of one risk's fields on the page of several ("r0-", "r1-"…).
BLOCK_PREFIX = re.compile(r"^r\d{1,2}-$")


class RiskForm(VersionPartForm):
    class Meta:
        model = Risk
        fields = [
            "key",
            "title",
            "category",
            "area",
            "exposed",
            "circumstance",
            *RATING_FIELDS,
            "trend",
            "confidence",
            "rationale",
            "owner",
        ]
        labels = {"key": "Id", "circumstance": "When / circumstance"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = Matrix.from_dict(self.version.matrix)
        self.fields["category"] = forms.ChoiceField(
            # No threat is chosen for the analyst: a new risk starts with none.
            choices=[("", "— choose —"), *category_choices()],
            label="Threat",
        )
        self.fields["area"].queryset = AssessmentArea.objects.filter(version=self.version)
        if not self.instance.pk:
            # A new risk is for the whole country unless said, and its id comes from its title.
            self.fields["area"].initial = self.fields["area"].queryset.order_by("position").first()
            self.fields["key"].required = False
            self.fields[
                "key"
            ].help_text = f"A short id: {self.id_hint}; made from the title when left empty."
        groups = [(g.key, g.name) for g in ExposureGroup.objects.filter(version=self.version)]
        self.fields["exposed"] = ListChoiceField(label="Who is exposed", choices=groups)
        if not self.instance.pk and len(groups) == 1:
            # The assessment's only staff group is who a new risk exposes, unless unticked.
            self.fields["exposed"].initial = [groups[0][0]]
            self.fields["exposed"].help_text = "The assessment's only staff group, ticked."
        for which in RATINGS:
            for axis in ("likelihood", "impact"):
                name = f"{which}_{axis}"
                optional = which == "current"
                # A block of several starts blank (a block left blank is skipped).
                blank = optional or bool(self.prefix and not self.instance.pk)
                self.fields[name] = RatingField(
                    label=axis.capitalize(),
                    choices=rating_choices(self.matrix, axis, blank=blank),
                    coerce=int,
                    required=not optional,
                    empty_value=None,
                    # One block of several on a page: its own class, which its matrix follows.
                    widget=forms.Select(
                        attrs={"class": f"rating {self.prefix}-rating" if self.prefix else "rating"}
                    ),
                )
        self.fields[
            "rationale"
        ].help_text = "Why these ratings: the evidence, and what the measures change."
        self.fields["add_measures"] = forms.MultipleChoiceField(
            required=False,
            label="Measures to apply",
            choices=measure_choices(self.version),
            widget=forms.CheckboxSelectMultiple,
        )

    def save(self, commit: bool = True) -> Any:
        """The risk, with the measures ticked added to those it has."""
        risk = super().save(commit=False)
        added = [c for c in self.cleaned_data.get("add_measures") or [] if c not in risk.measures]
        risk.measures = [*(risk.measures or []), *added]
        if commit:
            risk.save()
        return risk

    def clean_key(self) -> Any:
        value = self.cleaned_data.get("key")
        title = str(self.data.get(self.add_prefix("title")) or "").strip()
        if not value and not self.instance.pk and title:
            return free_key(Risk, self.version, title)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (cleaned.get("current_likelihood") is None) != (cleaned.get("current_impact") is None):
            self.add_error(
                "current_impact" if cleaned.get("current_impact") is None else "current_likelihood",
                "Give both the current likelihood and impact, or neither.",
            )
        return cleaned

    def scores(self) -> RiskScores | None:
        """The ratings as the form stands (valid or not), placed on the matrix."""
        data: Any = self.data if self.is_bound else None
        if data is not None and self.prefix:  # one block of several on a page
            data = {name: data.get(self.add_prefix(name)) for name in RATING_FIELDS}
        return scores_from(self.matrix, data, self.instance)

    def warnings(self) -> list[str]:
        scores = self.scores()
        return rating_warnings(scores) if scores else []


def unprefixed(query: QueryDict, prefix: str) -> QueryDict:
    """The query's fields of one block of the several-risks page (``r2-title`` → ``title``);
    the whole query when the prefix is empty or not a block's."""
    if not prefix or not BLOCK_PREFIX.match(prefix):
        return query
    out = QueryDict(mutable=True)
    for key in query:
        if key.startswith(prefix):
            out.setlist(key[len(prefix) :], query.getlist(key))
    return out


def measure_choices(version: AssessmentVersion) -> list[tuple[str, str]]:
    """Every measure a risk of ``version`` may be given: the version's own and the library's."""
    own = [(m.code, m.name) for m in Mitigation.objects.filter(version=version)]
    taken = {code for code, _ in own}
    return own + [(m.code, m.name) for m in mitigation_library() if m.code not in taken]


def suggested_measures(
    category: str, text: str, applied: list[str], ticked: list[str], limit: int = 6
) -> list[tuple[str, str, bool]]:
    """The library's measures for the threat ``category`` a risk could be given from its
    form, best matching ``text`` first (code, name, ticked); those it has are left out."""
    found = [m for m in suggest_mitigations(category, text) if m.code not in applied]
    shown = found[:limit] + [m for m in found[limit:] if m.code in ticked]
    return [(m.code, m.name, m.code in ticked) for m in shown]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def scores_from(matrix: Matrix, data: Any, risk: Risk | None = None) -> RiskScores | None:
    """Score the ratings in submitted ``data`` (or the stored ``risk``); None if incomplete."""
    values: dict[str, int | None] = {}
    for name in RATING_FIELDS:
        stored = getattr(risk, name, None) if risk is not None else None
        values[name] = _int(data.get(name)) if data is not None else stored
    pairs: dict[str, tuple[int, int] | None] = {}
    for which in RATINGS:
        lk, im = values[f"{which}_likelihood"], values[f"{which}_impact"]
        pairs[which] = (lk, im) if lk is not None and im is not None else None
    inherent = pairs["inherent"]
    if inherent is None:
        return None
    try:
        return score_risk(matrix, inherent, pairs["residual"], pairs["current"])
    except ValueError:
        return None


def rating_warnings(scores: RiskScores) -> list[str]:
    out = []
    if scores.residual.level.rank > scores.inherent.level.rank:
        out.append(
            f"The residual level ({scores.residual.level.name}) is above the inherent level "
            f"({scores.inherent.level.name}): measures should not make a risk worse. "
            "Check the ratings, or say why in the rationale."
        )
    if scores.current and scores.residual.level.rank > scores.current.level.rank:
        out.append(
            f"The residual level ({scores.residual.level.name}) is above the current level "
            f"({scores.current.level.name})."
        )
    return out
