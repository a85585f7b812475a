"""The published results of a competition as a PDF, in Kazakh or Russian."""

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.documents.rendering import PDF, file_response, render_pdf

from . import selectors


def results_context(competition) -> dict:
    return {
        "competition": competition,
        "criteria": list(competition.criteria.all()),
        "ranking": selectors.ranking(competition),
        "commission": competition.commission.select_related("membership__user"),
    }


def competition_results_pdf(competition, language: str) -> bytes:
    return render_pdf("grants/print/results.html", results_context(competition), language=language)


def results_pdf(competition, language: str):
    content = competition_results_pdf(competition, language)
    record(action=AuditAction.EXPORT, target=competition, details={"format": "pdf", "language": language})
    return file_response(
        content, filename=f"competition-{competition.pk}-results-{language}.pdf", content_type=PDF
    )
