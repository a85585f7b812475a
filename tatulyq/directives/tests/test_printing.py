import io

import pytest
from django.urls import reverse
from docx import Document

from tatulyq.audit.models import AuditEntry
from tatulyq.directives.models import Directive
from tatulyq.directives.printing import directive_docx, directive_pdf


def jambyl_letter():
    return Directive.objects.get(outgoing_number="03-4279")


def pdf_text(content: bytes) -> str:
    """The text of a PDF, read back by WeasyPrint's own parser (pydyf) via pdftotext if present."""
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
    return ""


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_letter_prints_to_pdf_with_its_number_and_kazakh_letters(world, language):
    content = directive_pdf(jambyl_letter(), language)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "03-4279" in text
    assert "Календеров" in text
    assert ("от 01.05.2024" if language == "ru" else "01.05.2024 ж.") in text
    # The fonts carry Kazakh letters: the text in Kazakh, the bilingual letterhead in both.
    assert all(letter in text for letter in ("әқңөұүі" if language == "kk" else "әің"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_letter_prints_to_docx_in_the_official_layout(world, language):
    document = Document(io.BytesIO(directive_docx(jambyl_letter(), language)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "03-4279" in text and jambyl_letter().subject in text
    assert "Н. Календеров" in cells and "ЖАМБЫЛ ОБЛЫСЫ ӘКІМІНІҢ АППАРАТЫ" in cells
    assert document.sections[0].left_margin.mm == pytest.approx(30, abs=0.1)
    if language == "ru":
        assert "Акимат Жамбылской области в соответствии" in text
    else:
        assert "Жамбыл облысының әкімдігі" in text


def test_a_letter_with_only_a_russian_text_prints_it_in_the_kazakh_layout(world):
    letter = jambyl_letter()
    Directive.objects.filter(pk=letter.pk).update(text_kk="")
    letter.refresh_from_db()
    document = Document(io.BytesIO(directive_docx(letter, "kk")))
    assert "Акимат Жамбылской области" in "\n".join(p.text for p in document.paragraphs)


def test_printing_is_an_audited_export_open_only_to_those_who_see_the_letter(world, login_as, client):
    letter = jambyl_letter()
    url = reverse("directives:print", args=[letter.pk, "ru", "pdf"])
    login_as(world.users.mediator2)
    assert client.get(url).status_code == 404
    login_as(world.users.region)
    response = client.get(reverse("directives:print", args=[letter.pk, "kk", "docx"]))
    assert response.status_code == 200
    assert "filename*=UTF-8''03-4279-kk.docx" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(
        action="export", target_id=str(letter.pk), details__format="docx"
    ).exists()
    assert client.get(reverse("directives:print", args=[letter.pk, "en", "pdf"])).status_code == 404
