"""English in the platform means British conventions: 23/11/2026, 24-hour clock."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
