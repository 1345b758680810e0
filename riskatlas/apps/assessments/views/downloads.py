"""A version as a file: its report (PDF, HTML, Markdown), register (CSV, XLSX) or document
(YAML). A file already rendered for the version as it is now is served as it is
(``report_files``); otherwise it is rendered here and kept. The page prepares PDFs in the
background (the jobs app) and links here once the file is ready."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from riskatlas.apps.assessments.report_files import REPORT_TYPES, file_name, render_report_file
from riskatlas.apps.assessments.views.pages import readable_version
from riskatlas.document.workbook import WorkbookWriteError


@login_required
@require_safe
def assessment_report(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    if fmt not in REPORT_TYPES:
        raise Http404("unknown format")
    version = readable_version(request, slug, number)
    try:
        path = render_report_file(version, fmt)
    except WorkbookWriteError as exc:  # a listed text with a line break: say which
        return HttpResponse(
            f"The workbook cannot hold this version exactly: {exc}. Edit that text, or "
            "download the YAML or the CSV register.",
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    disposition = "inline" if fmt in ("pdf", "html") else "attachment"
    body = path.read_bytes()  # a few megabytes at most
    response = HttpResponse(body, content_type=REPORT_TYPES[fmt])
    if fmt == "html":  # its one <style> element, allowed by hash (django-csp reads this)
        from riskatlas.reports.render import inline_style_sources

        response._csp_update = {  # type: ignore[attr-defined]
            "style-src": inline_style_sources(body.decode("utf-8"))
        }
    response["Content-Disposition"] = f'{disposition}; filename="{file_name(version, fmt)}"'
    return response
