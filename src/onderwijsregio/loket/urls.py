from django.http import HttpResponse
from django.urls import path

app_name = "loket"


def _pending(request):  # replaced by the real views (helpers L1/L2) before this lands
    return HttpResponse(status=501)


urlpatterns = [
    path("loket/inloggen", _pending, name="candidate_login"),
    path("loket/inbox", _pending, name="inbox"),
]
