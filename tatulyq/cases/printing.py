"""The mediation forms on paper, in Kazakh or Russian: consent forms, the agreement, the
closure report and the referral note. Each print is an audited export."""

from django.utils import timezone

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.documents.rendering import PDF, file_response, render_pdf

from .models import Case, Referral

LANGUAGES = (("kk", "қазақша"), ("ru", "на русском"))
CASE_DOCUMENTS = ("consent", "agreement", "closure")


def case_context(case: Case) -> dict:
    participants = list(case.participants.all())
    children = [p for p in participants if p.is_child]
    agreement = getattr(case, "agreement", None)
    return {
        "case": case,
        "school": case.school,
        "children": children,
        "adults": [p for p in participants if not p.is_child],
        "agreement": agreement,
        "obligations": list(agreement.obligations.all()) if agreement else [],
        "meetings": list(case.meetings.all()),
        "mediators": list(case.mediators.all()),
        "screening": getattr(case, "screening", None),
        "printed_on": timezone.localdate(),
    }


def case_document(request, case: Case, document: str, language: str):
    content = render_pdf(f"cases/print/{document}.html", case_context(case), language=language)
    record(action=AuditAction.EXPORT, target=case, details={"document": document, "language": language})
    return file_response(content, filename=f"{case.number}-{document}-{language}.pdf", content_type=PDF)


def referral_note(request, referral: Referral, language: str):
    context = {
        "referral": referral,
        "case": referral.case,
        "school": referral.case.school,
        "printed_on": timezone.localdate(),
    }
    content = render_pdf("cases/print/referral.html", context, language=language)
    record(action=AuditAction.EXPORT, target=referral, details={"document": "referral", "language": language})
    return file_response(
        content, filename=f"{referral.case.number}-referral-{language}.pdf", content_type=PDF
    )
