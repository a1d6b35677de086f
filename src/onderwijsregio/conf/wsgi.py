import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onderwijsregio.conf.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.SECRET_KEY == settings.DEV_SECRET_KEY and not (settings.DEBUG or settings.ALLOW_DEV_SECRET):
    raise RuntimeError("DJANGO_SECRET_KEY must be set before serving (see docs/operator-guide.md)")
