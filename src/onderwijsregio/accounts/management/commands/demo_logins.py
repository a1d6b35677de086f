"""`manage.py demo_logins`: the demo logins with role, organisation and the shared password."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from onderwijsregio.accounts.demo import demo_logins, demo_password


class Command(BaseCommand):
    help = _("Toon de demologins met rol, organisatie en het gedeelde demowachtwoord.")

    def handle(self, *args, **options):
        logins = demo_logins()
        if not logins:
            self.stdout.write(_("Er zijn geen demogebruikers. Laad de demo met 'manage.py load_demo'."))
            return
        self.stdout.write(_("Demologins (fictieve personen), wachtwoord: %(password)s") % {"password": demo_password()})
        for user, memberships in logins:
            roles = [
                f"{membership.get_role_display()} — {membership.organisation}"
                + (f" ({membership.school_location.name})" if membership.school_location else "")
                for membership in memberships
            ]
            if user.is_superuser:
                roles.insert(0, str(_("platformbeheerder")))
            self.stdout.write(f"  {user.email:<45} {'; '.join(roles)}")
