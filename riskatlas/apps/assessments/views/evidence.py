"""The analyst's answer to the open-data evidence beside a risk: accept the suggested
likelihood, or keep their own with a reason. Either way the evidence is recorded, graded,
under the risk, and the rationale says what was decided. When the data are not enough to
suggest a likelihood (a sample, a period mostly outside the data, too few events) there is
nothing to answer, and both are refused."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.views.editing import editable
from riskatlas.apps.intelligence.models import Evidence, Source
from riskatlas.evidence import events_db_path
from riskatlas.evidence.assessment import risk_evidence

SOURCE_TITLES = {
    "acled": "ACLED events (imported)",
    "ucdp-ged": "UCDP GED events (imported)",
    "gtd": "Global Terrorism Database (imported)",
    "gdelt": "GDELT events (imported)",
}


def _source(version: AssessmentVersion, name: str) -> Source:
    key = f"open-data-{name}"
    source = Source.objects.filter(version=version, key=key).first()
    if source is None:
        position = Source.objects.filter(version=version).count()
        source = Source.objects.create(
            version=version,
            position=position,
            key=key,
            title=SOURCE_TITLES.get(name, f"{name} (imported open data)"),
            kind="open-data",
            reliability="B",
            credibility=2,
            note="Events imported with `riskatlas data import`; counts by riskatlas.",
        )
    return source


@editable
@require_POST
def judge_evidence(request: HttpRequest, version: AssessmentVersion, key: str) -> HttpResponse:
    risk = get_object_or_404(Risk, version=version, key=key)
    panel = risk_evidence(events_db_path(), export_version(version))["panels"].get(key)
    if panel is None:
        raise Http404("no open-data evidence for this risk")
    action = request.POST.get("action")
    reason = request.POST.get("rationale", "").strip()
    url = reverse("assessments:version", args=[version.assessment.slug, version.number])
    if panel["suggested_likelihood"] is None:
        why = "; ".join(panel["not_enough_data"])
        messages.error(
            request, f"{risk.title}: no likelihood is suggested (not enough data: {why})."
        )
        return redirect(url + "#register")
    if action not in ("accept", "override"):
        messages.error(request, "Choose to accept the suggested likelihood or keep your own.")
        return redirect(url + "#register")
    if action == "override" and not reason:
        messages.error(request, "Say why you keep your own likelihood.")
        return redirect(url + "#register")
    suggested = panel["suggested_likelihood"]
    window = f"{panel['start']} to {panel['end']}"
    if action == "accept":
        risk.current_likelihood = suggested
        risk.current_impact = risk.current_impact or risk.inherent_impact
        decision = f"Accepted the suggested likelihood {suggested} as the current likelihood."
    else:
        kept = risk.current_likelihood or risk.inherent_likelihood
        decision = f"Suggested likelihood {suggested}; kept {kept}: {reason}"
    risk.rationale = f"{risk.rationale}\n\nOpen data ({window}): {panel['reason']} {decision}"
    main_source = max(panel["by_source"], key=panel["by_source"].get)

    def record() -> Risk:
        risk.save()
        Evidence.objects.create(
            version=version,
            position=Evidence.objects.filter(
                version=version, subject_kind="risk", subject_id=risk.pk
            ).count(),
            source=_source(version, main_source),
            quote=panel["reason"],
            note=decision,
            subject_kind="risk",
            subject_id=risk.pk,
        )
        return risk

    writer.save_part(version, record)
    messages.success(request, f"{risk.title}: {decision}")
    return redirect(url + "#register")
