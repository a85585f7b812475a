"""Writing the state social order and grants: one function per business action, each one
transaction that validates, writes and records its audit entry."""

from .agreements import (
    accept_report,
    add_report_attachments,
    add_tranche,
    close_agreement,
    conclude_agreement,
    record_payment,
    return_report,
    save_report,
    submit_report,
)
from .competitions import (
    announce_competition,
    application_refusal,
    approve_social_order,
    create_social_order,
    declare_no_conflict,
    name_commission,
    publish_results,
    save_topic,
    score_application,
    submit_application,
)
from .proposals import consolidate_proposals, return_proposal, save_proposal, submit_proposal

__all__ = [
    "accept_report",
    "add_report_attachments",
    "add_tranche",
    "announce_competition",
    "application_refusal",
    "approve_social_order",
    "close_agreement",
    "conclude_agreement",
    "consolidate_proposals",
    "create_social_order",
    "declare_no_conflict",
    "name_commission",
    "publish_results",
    "record_payment",
    "return_proposal",
    "return_report",
    "save_proposal",
    "save_report",
    "save_topic",
    "score_application",
    "submit_application",
    "submit_proposal",
    "submit_report",
]
