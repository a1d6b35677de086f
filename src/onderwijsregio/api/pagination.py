"""Page-number pagination with camelCase parameters: `page` and `pageSize` (at most 500)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 500
    page_query_description = _("Paginanummer, vanaf 1.")
    page_size_query_description = _("Aantal resultaten per pagina (standaard 50, ten hoogste 500).")
