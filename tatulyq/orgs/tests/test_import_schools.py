import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tatulyq.audit.models import AuditEntry
from tatulyq.lib.identifiers import make_valid
from tatulyq.lib.tabular import read_table
from tatulyq.orgs.models import Organisation, OrganisationKind
from tatulyq.orgs.services import import_schools

HEADER = "name_kk,name_ru,bin,kato,address,instruction_language,locality,pupils_count\n"


def new_bin(serial: int) -> str:
    while (value := make_valid(f"1503400{serial:04d}")) is None:
        serial += 1000
    return value


def csv_table(*rows: str):
    return read_table((HEADER + "\n".join(rows) + "\n").encode(), "schools.csv")


def school_count():
    return Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count()


def test_valid_file_creates_every_school_under_its_district_department(world):
    table = csv_table(
        f"Жаңа мектеп 1,Новая школа 1,{new_bin(1)},315000000,Құлан,kk,rural,420",
        f"Жаңа мектеп 2,Новая школа 2,{new_bin(2)},315000000,Құлан,русский,село,310",
    )
    report = import_schools(table=table)
    assert report.ok and report.created == 2
    school = Organisation.objects.get(name_kk="Жаңа мектеп 2")
    assert school.parent == world.ryskulov_education
    assert school.instruction_language == "ru" and school.locality == "rural"
    assert school.pupils_count == 310
    assert school.path.startswith(world.ryskulov_education.path)


def test_one_bad_row_means_nothing_is_written(world):
    before = school_count()
    table = csv_table(
        f"Жақсы мектеп,Хорошая школа,{new_bin(3)},315000000,,kk,rural,100",
        "Жаман мектеп,Плохая школа,123456789012,315000000,,kk,rural,100",
    )
    report = import_schools(table=table)
    assert not report.ok
    assert school_count() == before
    assert [(e.row, e.column) for e in report.errors] == [(3, "bin")]


def test_every_kind_of_bad_row_is_reported_with_its_row_and_column(world):
    duplicate = new_bin(4)
    table = csv_table(
        f"Бір,Один,{duplicate},315000000,,kk,rural,10",
        f"Екі,Два,{duplicate},315000000,,kk,rural,10",  # repeated within the file
        f"Үш,Три,{world.school.bin},315000000,,kk,rural,10",  # already registered
        f"Төрт,Четыре,{new_bin(5)},999999999,,kk,rural,10",  # unknown KATO
        f",Пять,{new_bin(6)},315000000,,kk,rural,10",  # no Kazakh name
        f"Алты,Шесть,{new_bin(7)},315000000,,latin,rural,10",
        f"Жеті,Семь,{new_bin(8)},315000000,,kk,mountain,10",
        f"Сегіз,Восемь,{new_bin(9)},315000000,,kk,rural,-3",
    )
    report = import_schools(table=table)
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "bin"), (4, "bin"), (5, "kato"), (6, "name_kk"), (7, "instruction_language"),
        (8, "locality"), (9, "pupils_count"),
    }
    assert "row 2" in report.errors[0].message or "2" in report.errors[0].message


def test_missing_column_is_reported_before_any_row(world):
    table = read_table(b"name_kk,bin\n\xd0\x90,1\n", "schools.csv")
    report = import_schools(table=table)
    assert [(e.row, e.column) for e in report.errors] == [(1, "kato")]


def test_dry_run_checks_everything_and_writes_nothing(world):
    before, audit_before = school_count(), AuditEntry.objects.count()
    report = import_schools(
        table=csv_table(f"Сынақ,Проба,{new_bin(10)},315000000,,kk,rural,1"), dry_run=True
    )
    assert report.ok and report.created == 1 and report.dry_run
    assert school_count() == before
    assert AuditEntry.objects.count() == audit_before


def test_xlsx_keeps_leading_zeros_lost_by_the_spreadsheet(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    bin_with_zero = next(
        make_valid(f"0508400{i:04d}") for i in range(100, 9999) if make_valid(f"0508400{i:04d}")
    )
    sheet.append(["Нөлдік", "Нулевая", int(bin_with_zero), 315000000, "", "kk", "rural", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_schools(table=read_table(buffer.getvalue(), "schools.xlsx"))
    assert report.ok, report.errors
    assert Organisation.objects.get(name_kk="Нөлдік").bin == bin_with_zero


def test_administrator_cannot_import_outside_their_region(world):
    table = csv_table(f"Алыс,Далёкая,{new_bin(11)},710000000,,kk,urban,5")
    report = import_schools(table=table, within=world.jambyl_akimat)
    assert [(e.row, e.column) for e in report.errors] == [(2, "kato")]


def test_command_reports_rows_and_fails_without_writing(world, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + "Қате,Ошибка,1,315000000,,kk,rural,1\n", encoding="utf-8")
    before = school_count()
    with pytest.raises(CommandError):
        call_command("import_schools", str(path))
    assert school_count() == before


def test_command_dry_run_then_real_import(world, tmp_path, capsys):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + f"Команда,Команда,{new_bin(12)},315000000,,kk,rural,1\n",
                    encoding="utf-8")
    call_command("import_schools", str(path), "--dry-run")
    assert not Organisation.objects.filter(name_kk="Команда").exists()
    call_command("import_schools", str(path))
    assert Organisation.objects.filter(name_kk="Команда").exists()


def test_web_import_shows_the_row_report_and_saves_nothing(world, login_as, client):
    login_as(world.users.region, world.users.region.memberships.get(organisation=world.jambyl_education))
    upload = io.BytesIO((HEADER + "Веб,Веб,1,315000000,,kk,rural,1\n").encode())
    upload.name = "schools.csv"
    before = school_count()
    response = client.post(reverse("orgs:import_schools"), {"file": upload, "dry_run": ""})
    assert response.status_code == 200
    assert response.context["report"].errors[0].column == "bin"
    assert b"<table" in response.content
    assert school_count() == before


def test_web_import_saves_a_correct_file(world, login_as, client):
    login_as(world.users.region, world.users.region.memberships.get(organisation=world.jambyl_education))
    upload = io.BytesIO((HEADER + f"Веб жақсы,Веб хорошая,{new_bin(13)},315000000,,kk,rural,1\n").encode())
    upload.name = "schools.csv"
    response = client.post(reverse("orgs:import_schools"), {"file": upload})
    assert response.status_code == 200 and response.context["report"].created == 1
    assert Organisation.objects.filter(name_kk="Веб жақсы").exists()


def test_web_import_is_refused_to_a_district_specialist(world, login_as, client):
    login_as(world.users.district)
    assert client.get(reverse("orgs:import_schools")).status_code == 403


def test_template_download_is_a_workbook_with_the_columns(world, login_as, client):
    login_as(world.users.region)
    response = client.get(reverse("orgs:import_template"))
    table = read_table(response.content, "template.xlsx")
    assert table.columns[:4] == ["name_kk", "name_ru", "bin", "kato"]
