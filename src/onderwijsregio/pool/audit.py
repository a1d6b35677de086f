"""Every audit action of the substitute pool, with its Dutch label (the audit page shows these).

The names are stored in the log: never rename one. Services and selectors pass these constants to
`audit_record`; core loads this module at start-up so the catalogue knows them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onderwijsregio.core.audit import audit_action

# pool set-up
POLICY_UPDATED = audit_action("pool.policy_updated", _("Invalpool: beleid gewijzigd"))
BOARD_ADDED = audit_action("pool.board_added", _("Invalpool: bestuur toegevoegd"))
BOARD_UPDATED = audit_action("pool.board_updated", _("Invalpool: afspraken met bestuur gewijzigd"))
BOARD_REMOVED = audit_action("pool.board_removed", _("Invalpool: bestuur verwijderd"))
DEMO_CREATED = audit_action("pool.demo_created", _("Invalpool: demopool aangemaakt"))

# members
MEMBER_CREATED = audit_action("pool.member_created", _("Invalpool: poollid toegevoegd"))
MEMBER_UPDATED = audit_action("pool.member_updated", _("Invalpool: poollid gewijzigd"))
MEMBER_AVAILABILITY_UPDATED = audit_action(
    "pool.member_availability_updated", _("Invalpool: beschikbaarheid gewijzigd door poollid")
)
UNAVAILABILITY_ADDED = audit_action("pool.unavailability_added", _("Invalpool: afwezigheid toegevoegd"))
UNAVAILABILITY_REMOVED = audit_action("pool.unavailability_removed", _("Invalpool: afwezigheid verwijderd"))
MEMBER_VIEWED = audit_action("pool.member_viewed", _("Invalpool: poollid bekeken"))
MEMBERS_LISTED = audit_action("pool.members_listed", _("Invalpool: ledenlijst bekeken"))

# requests
REQUEST_CREATED = audit_action("pool.request_created", _("Invalpool: vervanging aangevraagd"))
REQUEST_UPDATED = audit_action("pool.request_updated", _("Invalpool: aanvraag gewijzigd"))
REQUEST_CANCELLED = audit_action("pool.request_cancelled", _("Invalpool: aanvraag ingetrokken"))
REQUEST_RELEASED = audit_action("pool.request_released", _("Invalpool: aanvraag breder vrijgegeven"))
ELIGIBILITY_VIEWED = audit_action("pool.eligibility_viewed", _("Invalpool: geschiktheid van leden bekeken"))

# batches
BATCH_STARTED = audit_action("pool.batch_started", _("Invalpool: ronde gestart"))
BATCH_PROPOSED = audit_action("pool.batch_proposed", _("Invalpool: ronde heeft voorstellen"))
BATCH_CONFIRMED = audit_action("pool.batch_confirmed", _("Invalpool: ronde bevestigd"))
BATCH_DISCARDED = audit_action("pool.batch_discarded", _("Invalpool: ronde verworpen"))
PROPOSAL_REMOVED = audit_action("pool.proposal_removed", _("Invalpool: voorstel geschrapt"))
PROPOSAL_REPLACED = audit_action("pool.proposal_replaced", _("Invalpool: ander lid op voorstel gezet"))
BATCH_VIEWED = audit_action("pool.batch_viewed", _("Invalpool: voorstellen van een ronde bekeken"))

# offers and assignments
OFFER_ACCEPTED = audit_action("pool.offer_accepted", _("Invalpool: aanbod geaccepteerd"))
OFFER_DECLINED = audit_action("pool.offer_declined", _("Invalpool: aanbod afgewezen"))
OFFER_REFUSED = audit_action("pool.offer_refused", _("Invalpool: accepteren van aanbod geweigerd"))
OFFER_WITHDRAWN = audit_action("pool.offer_withdrawn", _("Invalpool: aanbod ingetrokken"))
OFFER_EXPIRED = audit_action("pool.offer_expired", _("Invalpool: aanbod verlopen"))
OFFER_VIEWED = audit_action("pool.offer_viewed", _("Invalpool: aanbiedingen bekeken"))
ASSIGNMENT_CANCELLED = audit_action("pool.assignment_cancelled", _("Invalpool: inzet beëindigd"))
ASSIGNMENT_VIEWED = audit_action("pool.assignment_viewed", _("Invalpool: inzetten bekeken"))

# hours, settlements and the monitor
HOURS_ENTERED = audit_action("pool.hours_entered", _("Invalpool: uren ingevoerd"))
HOURS_CORRECTED = audit_action("pool.hours_corrected", _("Invalpool: uren gecorrigeerd"))
HOURS_CONFIRMED = audit_action("pool.hours_confirmed", _("Invalpool: uren bevestigd"))
HOURS_DISPUTED = audit_action("pool.hours_disputed", _("Invalpool: uren betwist"))
HOURS_VIEWED = audit_action("pool.hours_viewed", _("Invalpool: uren van poolleden bekeken"))
HOURS_EXPORTED = audit_action("pool.hours_exported", _("Invalpool: urenbestand gedownload"))
SETTLEMENT_CREATED = audit_action("pool.settlement_created", _("Invalpool: afrekening opgesteld"))
SETTLEMENT_DOWNLOADED = audit_action("pool.settlement_downloaded", _("Invalpool: afrekening gedownload"))
DASHBOARD_VIEWED = audit_action("pool.dashboard_viewed", _("Invalpool: monitor met namen bekeken"))
MONITORING_REPORT_DOWNLOADED = audit_action(
    "pool.monitoring_report_downloaded", _("Invalpool: monitorrapport gedownload")
)

# Reads of who was offered or assigned, by kind of record (the API's list and detail of offers and assignments).
MEMBER_WORK_VIEWED = {"offer": OFFER_VIEWED, "assignment": ASSIGNMENT_VIEWED}
