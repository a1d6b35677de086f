"""The desk's audit actions: every action the candidate desk writes to the audit log, with its Dutch label.

The names are stored in audit events already and never change; code uses the constants.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onderwijsregio.core.audit import audit_action

# Reads of personal data
CANDIDATE_VIEWED = audit_action("candidate.viewed", _("Kandidaat: dossier bekeken"))
CANDIDATE_LIST_VIEWED = audit_action("candidate.list_viewed", _("Kandidaat: lijst bekeken"))
CANDIDATE_EXPORTED = audit_action("candidate.exported", _("Kandidaat: lijst geëxporteerd"))
CANDIDATE_EXPORTED_OWN_DATA = audit_action("candidate.exported_own_data", _("Kandidaat: eigen gegevens gedownload"))
CANDIDATE_DOCUMENT_DOWNLOADED = audit_action("candidate.document_downloaded", _("Kandidaat: document gedownload"))

# Changes to a candidate's record
CANDIDATE_REGISTERED = audit_action("candidate.registered", _("Kandidaat: aangemeld"))
CANDIDATE_UPDATED = audit_action("candidate.updated", _("Kandidaat: gegevens gewijzigd"))
CANDIDATE_CONSENT_RECORDED = audit_action("candidate.consent_recorded", _("Kandidaat: toestemming vastgelegd"))
CANDIDATE_COORDINATOR_ASSIGNED = audit_action(
    "candidate.coordinator_assigned", _("Kandidaat: ketenregisseur toegewezen")
)
CANDIDATE_NOTE_ADDED = audit_action("candidate.note_added", _("Kandidaat: notitie toegevoegd"))
CANDIDATE_DOCUMENT_ADDED = audit_action("candidate.document_added", _("Kandidaat: document toegevoegd"))
CANDIDATE_HANDED_OVER = audit_action("candidate.handed_over", _("Kandidaat: overgedragen"))
CANDIDATE_MERGED = audit_action("candidate.merged", _("Kandidaat: aanmeldingen samengevoegd"))
CANDIDATE_ERASED = audit_action("candidate.erased", _("Kandidaat: gegevens verwijderd"))

# The candidate's login by emailed code
CANDIDATE_LOGIN_CODE_SENT = audit_action("candidate.login_code_sent", _("Kandidaat: inlogcode verstuurd"))
CANDIDATE_LOGIN_CODE_THROTTLED = audit_action(
    "candidate.login_code_throttled", _("Kandidaat: inlogcode niet verstuurd (te vaak gevraagd)")
)
CANDIDATE_LOGIN_CODE_FAILED = audit_action("candidate.login_code_failed", _("Kandidaat: inlogcode onjuist"))
# The address belongs to an account that is more than a candidate's (staff, a password, another role).
CANDIDATE_LOGIN_CODE_REFUSED = audit_action(
    "candidate.login_code_refused", _("Kandidaat: inloggen met code geweigerd (account van een medewerker)")
)
CANDIDATE_LOGGED_IN = audit_action("candidate.logged_in", _("Kandidaat: ingelogd"))

# Trajectories
TRAJECTORY_CREATED = audit_action("trajectory.created", _("Traject: aangemaakt"))
TRAJECTORY_UPDATED = audit_action("trajectory.updated", _("Traject: gewijzigd"))
TRAJECTORY_STAGE_CHANGED = audit_action("trajectory.stage_changed", _("Traject: naar een andere fase"))
TRAJECTORY_ENDED = audit_action("trajectory.ended", _("Traject: beëindigd"))

# Handovers
HANDOVER_RECEIVED = audit_action("handover.received", _("Overdracht: ontvangen"))
HANDOVER_ACCEPTED = audit_action("handover.accepted", _("Overdracht: geaccepteerd"))
HANDOVER_DECLINED = audit_action("handover.declined", _("Overdracht: afgewezen"))
HANDOVER_WITHDRAWN = audit_action("handover.withdrawn", _("Overdracht: ingetrokken"))

# The desk's tasks
FOLLOW_UP_REMINDER_SENT = audit_action("loket.follow_up_reminder_sent", _("Loket: herinnering opvolgen verstuurd"))
