

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tatulyq.directives.demo import MINISTRY_NUMBER
from tatulyq.directives.models import Attachment, Directive, Recipient
from tatulyq.lib.tabular import read_table


def ministry_letter():
    return Directive.objects.get(outgoing_number=MINISTRY_NUMBER)


def district_letter():
    return Directive.objects.get(parent__outgoing_number="03-4279")


def test_ministry_sees_the_whole_cascade_and_who_is_late(world, login_as, client):
    login_as(world.users.ministry)
    response = client.get(reverse("directives:control", args=[ministry_letter().pk]))
    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert sheet.total == 51 and len(sheet.rows) == 20
    jambyl = next(r for r in sheet.rows if r.organisation_id == world.jambyl_akimat.pk)
    assert jambyl.forwarded and jambyl.below_total == 31
    assert jambyl.below_done == 1 + 12  # T. Ryskulov department and its 12 answering schools
    # Ten silent departments, seven silent schools and one school whose answer was returned.
    assert jambyl.below_overdue == 10 + 7 + 1


def test_drill_down_to_the_schools_of_a_district(world, login_as, client):
    login_as(world.users.ministry)
    url = reverse("directives:control", args=[ministry_letter().pk])
    response = client.get(url, {"under": world.ryskulov_education.pk})
    rows = response.context["sheet"].rows
    assert len(rows) == 20 and all(r.level_name for r in rows)
    late = client.get(url, {"under": world.ryskulov_education.pk, "overdue": "1"}).context["sheet"].rows
    # Overdue rows: the eight not answered in time, and two that answered after the deadline.
    assert len(late) == 10 and sum(1 for r in late if r.status == "answered") == 2


def test_control_sheet_query_count_is_independent_of_recipients(
    world, login_as, client, django_assert_max_num_queries
):
    login_as(world.users.ministry)
    url = reverse("directives:control", args=[ministry_letter().pk])
    with django_assert_max_num_queries(14):
        client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url, {"under": world.ryskulov_education.pk})


def test_control_sheet_exports_to_xlsx_and_is_audited(world, login_as, client):
    from tatulyq.audit.models import AuditEntry

    login_as(world.users.ministry)
    response = client.get(reverse("directives:control", args=[ministry_letter().pk]), {"format": "xlsx"})
    table = read_table(response.content, "sheet.xlsx")
    assert len(table.rows) == 20
    assert AuditEntry.objects.filter(action="export", target_id=str(ministry_letter().pk)).exists()


def test_school_of_another_district_gets_404_on_the_district_letter(world, login_as, client):
    other_school_user = world.users.mediator2
    letter = district_letter()
    # School No. 2 is a recipient of the district letter: give it a letter it is not in.
    foreign = Directive.objects.get(outgoing_number="03-4279")
    login_as(other_school_user)
    assert client.get(reverse("directives:detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("directives:control", args=[foreign.pk])).status_code == 404
    login_as(world.users.district)
    assert client.get(reverse("directives:detail", args=[letter.pk])).status_code == 200


def test_recipient_sees_its_letter_and_opening_marks_it_received(world, login_as, client):
    letter = district_letter()
    rec = letter.recipients.filter(status="sent").select_related("organisation").first()
    from tatulyq.accounts.models import Membership, Role, User

    user = User.objects.create_user("teacher@tatulyq.example", "x" * 12, full_name="Мұғалім")
    Membership.objects.create(user=user, organisation=rec.organisation, role=Role.SCHOOL_HEAD,
                              is_admin=True)
    login_as(user)
    assert client.get(reverse("directives:detail", args=[letter.pk])).status_code == 200
    rec.refresh_from_db()
    assert rec.status == "received"


def test_ministry_specialists_table_has_20_cards(world, login_as, client):
    login_as(world.users.ministry)
    response = client.get(reverse("directives:specialists"))
    cards = list(response.context["cards"])
    assert len(cards) == 20
    # Twelve regions answered, and one more whose answer the Ministry returned.
    assert sum(1 for c in cards if c.current_specialists) == 13


def test_issue_form_rejects_a_disallowed_or_oversized_attachment(world, login_as, client, settings):
    login_as(world.users.district)
    data = {
        "outgoing_number": "X-1", "issued_on": "2026-03-02", "deadline": "2026-03-20",
        "subject": "Тест", "text_kk": "Мәтін", "signatory_name": "А", "signatory_position": "Б",
        "executor_name": "В", "executor_phone": "1", "recipients": [world.school.pk],
        "required": ["report"],
    }
    exe = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(reverse("directives:issue"), {**data, "attachments": exe})
    assert response.status_code == 200 and "attachments" in response.context["form"].errors
    assert not Directive.objects.filter(outgoing_number="X-1").exists()
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (21 * 1024 * 1024), content_type="application/pdf")
    response = client.post(reverse("directives:issue"), {**data, "attachments": big})
    assert "attachments" in response.context["form"].errors
    ok = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    response = client.post(reverse("directives:issue"), {**data, "attachments": ok})
    assert response.status_code == 302
    directive = Directive.objects.get(outgoing_number="X-1")
    attachment = Attachment.objects.get(directive=directive)
    assert attachment.original_name == "plan.pdf" and "plan" not in attachment.file.name


def test_attachment_is_served_only_to_those_who_see_the_letter(world, login_as, client):
    from tatulyq.accounts.models import Membership
    from tatulyq.directives import services
    from tatulyq.directives.models import ResponseKind

    author = Membership.objects.get(user=world.users.district)
    directive = services.issue_directive(
        author=author, recipients=[world.school], required=[ResponseKind.FREE_REPORT],
        outgoing_number="A-1", issued_on=__import__("datetime").date(2026, 3, 2),
        deadline=__import__("datetime").date(2026, 3, 9), subject="Файл", text_kk="Мәтін",
        signatory_name="А", signatory_position="Б", executor_name="В", executor_phone="1")
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 secret", content_type="application/pdf")
    [attachment] = services.add_attachments(user=world.users.district, files=[upload], directive=directive)
    url = reverse("directives:attachment", args=[attachment.pk])
    login_as(world.users.mediator2)  # another school
    assert client.get(url).status_code == 404
    login_as(world.users.head)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"


def test_answer_form_flow_draft_then_sign(world, login_as, client):
    letter = district_letter()
    rec = letter.recipients.get(organisation=world.school)
    # The demo answered school No. 1 already; take a silent one and its head.
    rec = letter.recipients.filter(status="sent").select_related("organisation").first()
    from tatulyq.accounts.models import Membership, Role, User

    user = User.objects.create_user("head-x@tatulyq.example", "x" * 12, full_name="Директор")
    Membership.objects.create(user=user, organisation=rec.organisation, role=Role.SCHOOL_HEAD, is_admin=True)
    login_as(user)
    url = reverse("directives:answer", args=[rec.pk])
    assert client.get(url).status_code == 200
    form = {"report_text": "Біздің ұсыныс", "specialists-TOTAL_FORMS": "0",
            "specialists-INITIAL_FORMS": "0", "measures-TOTAL_FORMS": "0", "measures-INITIAL_FORMS": "0"}
    assert client.post(url, form).status_code == 302
    client.post(reverse("directives:sign_off", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.status == "in_progress"  # the letter also asks for a state social order proposal
    from tatulyq.grants.demo import school_proposal

    school_proposal(Membership.objects.get(user=user), rec, 1)
    client.post(reverse("directives:sign_off", args=[rec.pk]))
    rec.refresh_from_db()
    assert rec.status == "answered"



def test_recipient_rows_of_a_letter_are_unique(world):
    letter = ministry_letter()
    assert Recipient.objects.filter(directive=letter).values("organisation").distinct().count() == 20


def test_inbox_lists_what_still_needs_an_answer_first(world, login_as, client):
    login_as(world.users.district)
    rows = list(client.get(reverse("directives:inbox")).context["received"])
    done = [row.status in ("answered", "accepted") for row in rows]
    assert done == sorted(done)  # every open letter before every answered one
