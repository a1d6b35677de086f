"""Page-number pagination with camelCase parameters: `page` and `pageSize` (at most 500).

A `page` or `pageSize` that is no positive whole number is a 400 problem naming the parameter
(DRF would answer 404 for the first and silently use the default for the second); a page past the
last one stays a 404, as documented in the OpenAPI document.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

from .problems import InvalidParams


def _positive(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise InvalidParams([{"name": name, "code": "invalid", "reason": str(_("Geef een geheel getal vanaf 1."))}])
    return int(raw)


class Pagination(PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 500
    page_query_description = _("Paginanummer, vanaf 1.")
    page_size_query_description = _("Aantal resultaten per pagina (standaard 50, ten hoogste 500).")

    def get_page_size(self, request):
        size = _positive(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return _positive(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
