"""The audit actions of accounts and memberships, and the reads of who works where, with their Dutch labels."""

from django.utils.translation import gettext_lazy as _

from onderwijsregio.core.audit import audit_action

USER_CREATED = audit_action("user.created", _("Account aangemaakt"))
USER_LANGUAGE_CHANGED = audit_action("user.language_changed", _("Voorkeurstaal gewijzigd"))
MEMBERSHIP_CREATED = audit_action("membership.created", _("Rol bij een organisatie toegekend"))
MEMBERSHIP_ENDED = audit_action("membership.ended", _("Rol bij een organisatie beëindigd"))
API_TOKEN_CREATED = audit_action("api_token.created", _("API-token aangemaakt"))
API_TOKEN_REVOKED = audit_action("api_token.revoked", _("API-token ingetrokken"))
# A read of personal data: who works where at an organisation.
PEOPLE_VIEWED = audit_action("people.viewed", _("Inzage: wie er bij een organisatie werkt"))
