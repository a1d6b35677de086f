from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("onderwijsregio.core.urls")),
    path("", include("onderwijsregio.organisations.urls")),
    path("", include("onderwijsregio.accounts.urls")),
    path("", include("onderwijsregio.routes.urls")),
    path("", include("onderwijsregio.loket.urls")),
    path("", include("onderwijsregio.pool.urls")),
    path("", include("onderwijsregio.workforce.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("onderwijsregio.conf.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
