"""Page-number pagination: ``?page=2&page_size=100`` (at most 200 a page: more gives 200). A
``page_size`` that is not a whole number from 1 is refused (400), as the description says; a
page past the end, or not a whole number from 1, answers 404 ("Invalid page.")."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Any) -> int:
        sent = request.query_params.get(self.page_size_query_param)
        if sent is None:
            return self.page_size
        if not sent.isascii() or not sent.isdigit() or int(sent) < 1:
            raise ValidationError({"page_size": [f"a whole number from 1, not {sent!r}"]})
        return min(int(sent), self.max_page_size)

    last_page_strings = ()  # "page=last" is not a whole number: 404 like any other

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        sent = request.query_params.get(self.page_query_param)
        if sent is not None and not sent.strip():  # "?page=": no number, not page 1
            raise NotFound(self.invalid_page_message.format(page_number=sent, message="empty"))
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
