from .agreements import (
    GrantAgreement,
    GrantReport,
    ReportAttachment,
    ReportExpenditure,
    ReportIndicator,
    Tranche,
)
from .competitions import Application, ApplicationLine, CommissionMember, Competition, Criterion, Score
from .order import FundingSource, SocialOrder, Topic, TopicBudget
from .proposals import Implementer, Proposal, ProposalLine, ProposalSource

__all__ = [
    "Application",
    "ApplicationLine",
    "CommissionMember",
    "Competition",
    "Criterion",
    "FundingSource",
    "GrantAgreement",
    "GrantReport",
    "Implementer",
    "Proposal",
    "ProposalLine",
    "ProposalSource",
    "ReportAttachment",
    "ReportExpenditure",
    "ReportIndicator",
    "Score",
    "SocialOrder",
    "Tranche",
    "Topic",
    "TopicBudget",
]
