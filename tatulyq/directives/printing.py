"""A directive as an official letter (letterhead, number and date, addressees, text,
signatory, executor), to PDF and DOCX, in Kazakh or Russian."""

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.documents.rendering import DOCX, PDF, docx_bytes, file_response, render_pdf

from .models import Directive


def number_line(directive: Directive, language: str) -> str:
    """As Kazakh letters write it: «№ 03-4279 от 01.05.2024» / «№ 03-4279 01.05.2024 ж.»."""
    number = directive.outgoing_number or "____"
    date = directive.issued_on.strftime("%d.%m.%Y")
    return f"№ {number} от {date}" if language == "ru" else f"№ {number}  {date} ж."


def letter_context(directive: Directive, language: str) -> dict:
    text = directive.text_ru if language == "ru" else directive.text_kk
    text = text or directive.text_kk or directive.text_ru
    addressees = directive.addressees_line or "\n".join(
        r.organisation.name_ru if language == "ru" and r.organisation.name_ru else r.organisation.name_kk
        for r in directive.recipients.select_related("organisation")[:12]
    )
    return {
        "directive": directive,
        "number_line": number_line(directive, language),
        "addressees": addressees,
        "paragraphs": [p.strip() for p in text.split("\n") if p.strip()],
        "attachments_count": directive.attachments.count(),
    }


def directive_pdf(directive: Directive, language: str) -> bytes:
    return render_pdf("directives/print/letter.html", letter_context(directive, language), language=language)


def directive_docx(directive: Directive, language: str) -> bytes:
    context = letter_context(directive, language)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    issuer = directive.issuer
    head = document.add_table(rows=1, cols=2)
    for cell, name in zip(
        head.rows[0].cells, (issuer.name_kk, issuer.name_ru or issuer.name_kk), strict=True
    ):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(name.upper())
        run.bold, run.font.size = True, Pt(10)
        details = [
            issuer.address,
            f"тел.: {issuer.phone}" if issuer.phone else "",
            f"e-mail: {issuer.email}" if issuer.email else "",
        ]
        small = cell.add_paragraph("\n".join(d for d in details if d))
        for run in small.runs:
            run.font.size = Pt(9)
    head.rows[0].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(context["number_line"])
    addressees = document.add_paragraph()
    addressees.paragraph_format.left_indent = Mm(85)
    addressees.add_run(context["addressees"]).bold = True
    document.add_paragraph().add_run(directive.subject).italic = True
    for text in context["paragraphs"]:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Mm(12.5)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    with translation.override(language):
        if context["attachments_count"]:
            document.add_paragraph().add_run(
                f"{_('Attachments')}: {context['attachments_count']}"
            ).italic = True
        signature = document.add_table(rows=1, cols=2)
        signature.rows[0].cells[0].paragraphs[0].add_run(directive.signatory_position).bold = True
        name = signature.rows[0].cells[1].paragraphs[0]
        name.add_run(directive.signatory_name).bold = True
        name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        executor = document.add_paragraph(
            f"{_('Executed by')}: {directive.executor_name}, {directive.executor_phone}"
        )
    for run in executor.runs:
        run.font.size = Pt(9)
    return docx_bytes(document)


def _filename(directive: Directive, language: str, suffix: str) -> str:
    number = (directive.outgoing_number or str(directive.pk)).replace("/", "-")
    return f"{number}-{language}.{suffix}"


def print_pdf(request, directive: Directive, language: str):
    content = directive_pdf(directive, language)
    record(action=AuditAction.EXPORT, target=directive, details={"format": "pdf", "language": language})
    return file_response(content, filename=_filename(directive, language, "pdf"), content_type=PDF)


def print_docx(request, directive: Directive, language: str):
    content = directive_docx(directive, language)
    record(action=AuditAction.EXPORT, target=directive, details={"format": "docx", "language": language})
    return file_response(content, filename=_filename(directive, language, "docx"), content_type=DOCX)
