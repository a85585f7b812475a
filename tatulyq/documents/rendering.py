"""PDF, DOCX and XLSX documents shared by every module.

PDFs are HTML templates rendered by WeasyPrint with the machine's fonts (DejaVu and
Noto cover every Kazakh letter); nothing is ever fetched from the network."""

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"Documents never load anything from outside: {url}")


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, {**context, "language": language})
    return HTML(string=html, url_fetcher=_no_network).write_pdf()


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A download; the file name may hold Cyrillic or Kazakh letters (RFC 6266/5987)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return HttpResponse(
        content,
        content_type=content_type,
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
            ),
        },
    )


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
