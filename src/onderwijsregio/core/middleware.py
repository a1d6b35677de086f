"""Cache-Control for responses that may carry personal data: `no-store, private`.

Without it a browser may keep a candidate's file or a membership list on disk after logout, and a
shared proxy may even serve it to the next person. Every API response (tokens, personal data, and
problems about them) and every response to a visitor with a session (a logged-in user, a
candidate who just registered, the response that starts a session at login) gets it. Public pages
for visitors without a session stay cacheable, and a view that set Cache-Control itself chose
deliberately and keeps its value. Static files never get here: WhiteNoise answers them earlier
with its own long-lived caching.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


def _personal(request, response) -> bool:
    # Only cookies are looked at: touching request.user would load the session and add
    # `Vary: Cookie` to every anonymous page, making public pages less cacheable.
    return (
        request.path.startswith(API_PREFIX)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or settings.SESSION_COOKIE_NAME in response.cookies
    )


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and _personal(request, response):
            patch_cache_control(response, no_store=True, private=True)
        return response
