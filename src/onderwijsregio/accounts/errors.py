"""The refusals of accounts and memberships that are about the state of things rather than the input."""

from __future__ import annotations

from onderwijsregio.core.errors import DomainError


class LastOwnMembership(DomainError):
    """Ending one's own last role would leave the account without access, which only someone else can undo.

    A conflict with the state of the account, not bad input: the API answers 409.
    """

    default_code = "last_own_membership"
    http_status = 409
