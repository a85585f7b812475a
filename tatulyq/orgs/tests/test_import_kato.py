import pytest
from django.core.management import CommandError, call_command

from tatulyq.lib.tabular import read_table
from tatulyq.orgs.models import Territory
from tatulyq.orgs.services import import_kato


def table(text: str):
    return read_table(text.encode(), "kato.csv")


def test_shipped_data_has_the_republic_20_regions_and_jambyl_districts(db):
    assert Territory.objects.filter(level=1).count() == 20
    jambyl = Territory.objects.get(code="310000000")
    assert jambyl.name_kk == "Жамбыл облысы" and jambyl.name_ru == "Жамбылская область"
    assert jambyl.children.count() == 11
    assert jambyl.children.filter(name_kk="Тұрар Рысқұлов ауданы").exists()


def test_derives_parents_from_the_code_structure(db):
    report = import_kato(table=table(
        "code,name_kk,name_ru\n"
        "315030000,Құлан ауылдық округі,Куланский сельский округ\n"
        "315030100,Құлан ауылы,село Кулан\n"
    ))
    assert report.ok and report.created == 2
    village = Territory.objects.get(code="315030100")
    assert village.parent.code == "315030000"
    assert village.parent.parent.code == "315000000"
    assert village.level == Territory.Level.SETTLEMENT


def test_accepts_the_statistics_office_column_names(db):
    report = import_kato(table=table("te,kaz_name,rus_name\n351000000,Қарағанды қаласы,город Караганда\n"))
    assert report.ok
    assert Territory.objects.get(code="351000000").parent.code == "350000000"


def test_renames_existing_territories_without_duplicating(db):
    report = import_kato(table=table("code,name_kk,name_en\n310000000,Жамбыл облысы,Jambyl Region\n"))
    assert report.ok and report.created == 0 and report.updated == 1
    assert Territory.objects.get(code="310000000").name_en == "Jambyl Region"


def test_bad_rows_write_nothing(db):
    before = Territory.objects.count()
    report = import_kato(table=table(
        "code,name_kk\n316100000,Жаңа аудан\n31610,Қысқа\n316100000,Қайталанған\n"
    ))
    assert {(e.row, e.column) for e in report.errors} == {(3, "code"), (4, "code")}
    assert Territory.objects.count() == before


def test_command_loads_a_file(db, tmp_path):
    path = tmp_path / "kato.csv"
    path.write_text("code,name_kk\n316150000,Сынақ ауданы\n", encoding="utf-8")
    call_command("import_kato", str(path))
    assert Territory.objects.filter(code="316150000").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("name_kk\nАтау\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_kato", str(bad))
