"""The page an analyst came from, to go back to once a form is saved: a link that leads to an
editor's page (a reason on the review page) gives it as ``next``, the form posts it back.

Only a path of this site is taken (``/assessments/…``): an address with a scheme or another
host, ``//host``, a backslash or a control character is not, so that a link from elsewhere
cannot send anyone off the site after they save.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def came_from(request: HttpRequest) -> str:
    """The same-site path in ``next`` (posted with the form, or in the address), "" when
    there is none or it is not a path of this site."""
    where = str(request.POST.get("next") or request.GET.get("next") or "")
    if not where.startswith("/") or where.startswith("//") or len(where) > 2000:
        return ""
    if "\\" in where or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in where):
        return ""
    if not url_has_allowed_host_and_scheme(where, allowed_hosts=None):
        return ""
    return where
