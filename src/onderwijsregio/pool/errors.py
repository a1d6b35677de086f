"""The refusals of the substitute pool: one DomainError family with stable codes for API clients.

Pages show the Dutch message on the form (`core.forms.add_service_errors`); the API answers a 400
problem with the code on every `invalidParams` entry, or a 409 `conflict` for a refusal that is about the
state of the record (an offer already answered, a request already withdrawn) rather than the input.
"""

from __future__ import annotations

from onderwijsregio.core.errors import DomainError


class PoolError(DomainError):
    """A refusal with a clear Dutch message for the person who tried."""

    default_code = "pool_refused"


class PoolConflict(PoolError):
    """The record is no longer in a state that allows this (the API answers 409 `conflict`)."""

    default_code = "conflict"
    http_status = 409


class OfferRefused(PoolConflict):
    """An offer that can no longer be accepted or declined (expired, used, withdrawn, double booking)."""
