from django.conf import settings

from onderwijsregio import __version__


def platform(request):
    return {"platform_version": __version__, "site_url": settings.SITE_URL}
