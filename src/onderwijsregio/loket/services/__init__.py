"""Writes of the candidate desk: every change atomic, validated, on the timeline and in the audit log.

One module per sub-domain; this package re-exports their public names, so callers write
`services.candidate_register(...)`. Emails go through core.services.email_send_later (the worker
sends them after commit), in the candidate's language. Reads live in loket.selectors.
"""

from __future__ import annotations

from ..labels import CONSENT_TEXT_VERSION
from ..models import CANDIDATE_FIELDS
from .candidates import advice_store, candidate_register, candidate_update, consent_record, coordinator_assign, note_add
from .documents import DOCUMENT_MAX_BYTES, DOCUMENT_TYPES, document_add
from .erasure import candidate_erase, candidate_merge, retention_run
from .handovers import CONSENT_FOR_RECEIVER, handover_create, handover_decide, handover_withdraw
from .login_codes import (
    LOGIN_CODE_MAX_ATTEMPTS,
    LOGIN_CODE_VALID,
    LOGIN_CODES_PER_HOUR,
    candidate_login_account,
    login_code_issue,
    login_code_send,
    login_code_verify,
)
from .reminders import follow_up_reminders_send
from .summaries import funnel_summary_differences, stay_counts_rebuild, trajectory_summaries_refresh
from .trajectories import follow_up_set, trajectory_create, trajectory_end, trajectory_move, trajectory_update

__all__ = [
    "CANDIDATE_FIELDS",
    "CONSENT_FOR_RECEIVER",
    "CONSENT_TEXT_VERSION",
    "DOCUMENT_MAX_BYTES",
    "DOCUMENT_TYPES",
    "LOGIN_CODES_PER_HOUR",
    "LOGIN_CODE_MAX_ATTEMPTS",
    "LOGIN_CODE_VALID",
    "advice_store",
    "candidate_erase",
    "candidate_login_account",
    "candidate_merge",
    "candidate_register",
    "candidate_update",
    "consent_record",
    "coordinator_assign",
    "document_add",
    "follow_up_reminders_send",
    "funnel_summary_differences",
    "follow_up_set",
    "handover_create",
    "handover_decide",
    "handover_withdraw",
    "login_code_issue",
    "login_code_send",
    "login_code_verify",
    "note_add",
    "retention_run",
    "trajectory_create",
    "trajectory_end",
    "trajectory_move",
    "stay_counts_rebuild",
    "trajectory_summaries_refresh",
    "trajectory_update",
]
