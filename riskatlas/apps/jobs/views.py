"""Work done in the background: reports prepared (start one, watch its state, fetch the file)
and events files imported into the evidence store (upload one, watch it, read its outcome)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from riskatlas.apps.accounts.permissions import may_import_open_data
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.report_files import REPORT_TYPES, cached_report
from riskatlas.apps.assessments.views.pages import readable_version
from riskatlas.apps.jobs.forms import EventsFileForm
from riskatlas.apps.jobs.importing import EVENT_FILES, SizeLimit
from riskatlas.apps.jobs.models import Job
from riskatlas.apps.jobs.tasks import start_import, start_report


def _download_url(version: AssessmentVersion, fmt: str) -> str:
    return reverse("assessments:report", args=[version.assessment.slug, version.number, fmt])


@login_required
@require_POST
def prepare_report(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    """Queue the report's rendering (or, when the file is ready already, go straight to it)."""
    if fmt not in REPORT_TYPES:
        raise Http404("unknown format")
    version = readable_version(request, slug, number)
    if cached_report(version, fmt) is not None:
        return redirect(_download_url(version, fmt))
    job = start_report(version, fmt, request.user)
    return redirect("jobs:job", pk=job.pk)


@login_required
@require_safe
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's state; while it waits or runs the page asks again every second (HTMX)."""
    job = get_object_or_404(Job.objects.select_related("version__assessment"), pk=pk)
    if job.kind == Job.Kind.IMPORT:
        return _import_job_page(request, job)
    if job.version is None:
        raise Http404("no such job")
    version = readable_version(request, job.version.assessment.slug, job.version.number)
    context = {
        "job": job,
        "version": version,
        "download": _download_url(version, job.fmt) if job.state == Job.State.DONE else "",
        "since": _since(job.created_at),
    }
    template = "jobs/_job.html" if request.headers.get("HX-Request") else "jobs/job.html"
    return render(request, template, context)


def _since(moment: dt.datetime) -> str:
    """How long ago, in words: "just now" in the first minute, not "0 minutes ago"."""
    if timezone.now() - moment < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@csrf_exempt  # checked by ``_import_events``, once the size limit watches the upload
@login_required
def import_events(request: HttpRequest) -> HttpResponse:
    """Upload an events file: its import runs in the background (the job's page follows it).
    A file over the size limit is dropped as it arrives (``SizeLimit``), before the form."""
    if not may_import_open_data(request):
        raise Http404("not found")
    limit = SizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _import_events(request, limit)


@csrf_protect
def _import_events(request: HttpRequest, limit: SizeLimit) -> HttpResponse:
    posted = request.method == "POST"  # the upload read through ``limit``
    form = EventsFileForm(
        request.POST if posted else None, request.FILES if posted else None, refused=limit.refused
    )
    if posted and form.is_valid():
        fields = form.cleaned_data
        job = start_import(fields["source"], fields["file"], fields["scope"] or "", request.user)
        return redirect("jobs:job", pk=job.pk)
    recent = list(Job.objects.filter(kind=Job.Kind.IMPORT).select_related("created_by")[:10])
    for job in recent:
        job.source_title = EVENT_FILES.get(job.source, job.source)
    return render(
        request,
        "jobs/import.html",
        {"form": form, "recent": recent, "sources": EVENT_FILES},
        status=400 if form.is_bound else 200,
    )


def _import_job_page(request: HttpRequest, job: Job) -> HttpResponse:
    if not may_import_open_data(request):
        raise Http404("no such job")
    context = {
        "job": job,
        "since": _since(job.created_at),
        "source_title": EVENT_FILES.get(job.source, job.source),
        "shown": len(job.outcome.get("quarantined", [])),
    }
    template = (
        "jobs/_import_job.html" if request.headers.get("HX-Request") else "jobs/import_job.html"
    )
    return render(request, template, context)
