"""What the NL API Design Rules ask of every response under /api/, whoever produced it.

- API-57: the full version in the `API-Version` header, on success and on error.
- Errors as application/problem+json: DRF's views already answer so (problems.py); errors that
  Django itself produced inside /api/ (an uncaught exception's 500, a 400 for a bad host, a 413,
  a CSRF 403) are rewritten here, because their HTML pages mean nothing to an API client.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from .problems import PROBLEM_CONTENT_TYPE, problem_json_response

API_PREFIX = "/api/"


def _django_error_detail(status_code: int) -> str:
    if status_code >= 500:
        return _("Er ging iets mis aan onze kant. Probeer het later opnieuw.")
    if status_code == 404:
        return _("Dit adres bestaat niet in de API.")
    if status_code == 403:
        return _("U heeft geen toegang tot dit adres.")
    return _("Het verzoek kon niet worden verwerkt.")


class ApiVersionHeaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        is_problem = response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        if response.status_code >= 400 and not is_problem:
            response = problem_json_response(request, response.status_code, _django_error_detail(response.status_code))
        response["API-Version"] = settings.API_VERSION
        return response
