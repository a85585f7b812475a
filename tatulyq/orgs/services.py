"""Creating organisations and territories, one by one or from an imported file."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.lib.identifiers import validate_bin
from tatulyq.lib.tabular import Table

from .models import (
    InstructionLanguage,
    Locality,
    Organisation,
    OrganisationKind,
    Territory,
)


@transaction.atomic
def create_organisation(*, parent: Organisation | None, **fields) -> Organisation:
    """One organisation, validated against the tree's rules, audited."""
    organisation = Organisation(parent=parent, **fields)
    organisation.full_clean()
    organisation.save()
    record(action=AuditAction.CREATE, target=organisation)
    return organisation


def add_children(parent: Organisation, children: list[Organisation]) -> list[Organisation]:
    """Insert many children of one parent at once: one INSERT and one UPDATE for the paths."""
    for child in children:
        child.parent = parent
        child.path = ""
        child.depth = parent.depth + 1
        child.search_text = child.build_search_text()
    created = Organisation.objects.bulk_create(children)
    Organisation.objects.filter(parent=parent, path="").update(
        path=Concat(Value(parent.path), Cast("id", CharField()), Value("/"))
    )
    for child in created:
        if child.pk is not None:
            child.path = f"{parent.path}{child.pk}/"
    return created


# ---------------------------------------------------------------- imports


@dataclass
class RowError:
    row: int  # as numbered in the file, the header being row 1
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    """Raised inside the transaction to undo everything when a row is bad."""


SCHOOL_COLUMNS = (
    "name_kk",
    "name_ru",
    "bin",
    "kato",
    "address",
    "instruction_language",
    "locality",
    "pupils_count",
)
REQUIRED_SCHOOL_COLUMNS = ("name_kk", "bin", "kato")

_LANGUAGE_WORDS = {
    InstructionLanguage.KAZAKH: {"kk", "kz", "каз", "казахский", "қазақ", "қазақша", "kazakh"},
    InstructionLanguage.RUSSIAN: {"ru", "рус", "русский", "орыс", "орысша", "russian"},
    InstructionLanguage.MIXED: {
        "kk_ru",
        "kk/ru",
        "смешанный",
        "аралас",
        "mixed",
        "каз/рус",
        "қазақ/орыс",
    },
    InstructionLanguage.OTHER: {"other", "другой", "басқа"},
}
_LOCALITY_WORDS = {
    Locality.URBAN: {"urban", "город", "городская", "қала", "қалалық"},
    Locality.RURAL: {"rural", "село", "сельская", "ауыл", "ауылдық"},
}


def _choice(value: str, words: dict) -> str | None:
    value = value.strip().lower()
    for choice, accepted in words.items():
        if value in accepted:
            return choice
    return None


def _digits(value: str, width: int, from_spreadsheet: bool) -> str:
    value = value.strip().replace(" ", "")
    if from_spreadsheet and value.isdigit() and len(value) < width:
        value = value.zfill(width)
    return value


def district_education_for(territory: Territory, cache: dict) -> Organisation | None:
    """The education department a school in this territory answers to: the district's,
    or for a city without districts the region's own."""
    if territory.pk in cache:
        return cache[territory.pk]
    node, found = territory, None
    while node is not None and found is None:
        if node.level == Territory.Level.DISTRICT:
            found = Organisation.objects.filter(
                kind=OrganisationKind.DISTRICT_EDUCATION, territory=node, is_active=True
            ).first()
        elif node.level == Territory.Level.REGION:
            found = Organisation.objects.filter(
                kind=OrganisationKind.REGIONAL_EDUCATION, territory=node, is_active=True
            ).first()
            break
        node = node.parent
    cache[territory.pk] = found
    return found


def import_schools(
    *, table: Table, dry_run: bool = False, within: Organisation | None = None
) -> ImportReport:
    """All rows or none: every row is checked, and a single bad row writes nothing.
    `within` limits the schools to an administrator's own subtree."""
    report = ImportReport(dry_run=dry_run)
    missing = [c for c in REQUIRED_SCHOOL_COLUMNS if c not in table.columns]
    if missing:
        report.errors.append(
            RowError(1, ", ".join(missing), _("Required column is missing from the first row."))
        )
        return report
    territories = {t.code: t for t in Territory.objects.select_related("parent__parent__parent")}
    existing_bins = set(Organisation.objects.exclude(bin="").values_list("bin", flat=True))
    seen_bins: dict[str, int] = {}
    parents: dict[int, Organisation | None] = {}
    planned: dict[int, list[Organisation]] = {}
    report.rows = len(table.rows)

    for number, row in table.rows:
        errors_before = len(report.errors)

        def error(column, message, number=number):
            report.errors.append(RowError(number, column, message))

        name_kk = row.get("name_kk", "").strip()
        if not name_kk:
            error("name_kk", _("The Kazakh name is required."))
        bin_value = _digits(row.get("bin", ""), 12, table.from_spreadsheet)
        try:
            validate_bin(bin_value)
        except ValidationError as exc:
            error("bin", exc.messages[0])
        else:
            if bin_value in existing_bins:
                error("bin", _("An organisation with this BIN is already registered."))
            elif bin_value in seen_bins:
                error(
                    "bin",
                    _("This BIN is repeated: it is also in row %(row)s.") % {"row": seen_bins[bin_value]},
                )
            seen_bins.setdefault(bin_value, number)
        code = _digits(row.get("kato", ""), 9, table.from_spreadsheet)
        territory = territories.get(code)
        parent = None
        if territory is None:
            error("kato", _("Unknown KATO code “%(code)s”.") % {"code": code})
        else:
            parent = district_education_for(territory, parents)
            if parent is None:
                error("kato", _("No education department is registered for this territory yet."))
            elif within is not None and not parent.is_within(within):
                error("kato", _("This territory is outside the organisations you administer."))
        language = row.get("instruction_language", "").strip()
        language_choice = _choice(language, _LANGUAGE_WORDS) if language else ""
        if language_choice is None:
            error(
                "instruction_language",
                _("Unknown language of instruction “%(value)s”: use kk, ru or kk_ru.") % {"value": language},
            )
        locality = row.get("locality", "").strip()
        locality_choice = _choice(locality, _LOCALITY_WORDS) if locality else ""
        if locality_choice is None:
            error("locality", _("Write “urban” or “rural” (қала/ауыл, город/село)."))
        pupils = row.get("pupils_count", "").strip().replace(" ", "")
        if pupils and not pupils.isdigit():
            error("pupils_count", _("The number of pupils must be a whole number, 0 or more."))
        if len(report.errors) > errors_before:
            continue
        planned.setdefault(parent.pk, []).append(
            Organisation(
                kind=OrganisationKind.SCHOOL,
                territory=territory,
                name_kk=name_kk,
                name_ru=row.get("name_ru", "").strip(),
                bin=bin_value,
                address=row.get("address", "").strip(),
                instruction_language=language_choice,
                locality=locality_choice,
                pupils_count=int(pupils) if pupils else None,
            )
        )
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for parent_id, schools in planned.items():
                add_children(parents_by_id(parents)[parent_id], schools)
                report.created += len(schools)
            record(
                action=AuditAction.IMPORT,
                summary=f"schools: {report.created}",
                details={"kind": "schools", "created": report.created, "dry_run": dry_run},
            )
            if dry_run:
                raise ImportRejected
    except ImportRejected:
        pass
    return report


def parents_by_id(cache: dict) -> dict[int, Organisation]:
    return {org.pk: org for org in cache.values() if org is not None}


KATO_ALIASES = {
    "te": "code",
    "kaz_name": "name_kk",
    "rus_name": "name_ru",
    "eng_name": "name_en",
    "parent": "parent_code",
}


def _derived_parent_codes(code: str) -> Iterable[str]:
    """Candidate parents from the code's own structure (AA BB CC DDD), nearest first."""
    for keep in (6, 4, 2):
        candidate = code[:keep] + "0" * (9 - keep)
        if candidate != code:
            yield candidate
    yield "000000000"


def import_kato(*, table: Table, dry_run: bool = False) -> ImportReport:
    """Create or rename territories from a KATO file (our columns or stat.gov.kz's)."""
    report = ImportReport(dry_run=dry_run)
    columns = [KATO_ALIASES.get(c, c) for c in table.columns]
    missing = [c for c in ("code", "name_kk") if c not in columns]
    if missing:
        report.errors.append(
            RowError(1, ", ".join(missing), _("Required column is missing from the first row."))
        )
        return report
    rows = []
    seen: dict[str, int] = {}
    for number, raw in table.rows:
        row = {KATO_ALIASES.get(k, k): v for k, v in raw.items()}
        code = _digits(row.get("code", ""), 9, table.from_spreadsheet)
        if len(code) != 9 or not code.isdigit():
            report.errors.append(RowError(number, "code", _("A KATO code has 9 digits.")))
            continue
        if code in seen:
            report.errors.append(
                RowError(
                    number,
                    "code",
                    _("This code is repeated: it is also in row %(row)s.") % {"row": seen[code]},
                )
            )
            continue
        seen[code] = number
        if not row.get("name_kk", "").strip():
            report.errors.append(RowError(number, "name_kk", _("The Kazakh name is required.")))
            continue
        rows.append((number, code, row))
    report.rows = len(table.rows)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            known = {t.code: t for t in Territory.objects.all()}
            # Parents before children: fewer trailing zeros means deeper.
            rows.sort(key=lambda item: (len(item[1].rstrip("0")), item[1]))
            for number, code, row in rows:
                parent_code = _digits(row.get("parent_code", ""), 9, table.from_spreadsheet)
                if code == "000000000":
                    parent = None
                elif parent_code:
                    parent = known.get(parent_code)
                    if parent is None:
                        report.errors.append(
                            RowError(
                                number,
                                "parent_code",
                                _("Unknown parent code “%(code)s”.") % {"code": parent_code},
                            )
                        )
                        continue
                else:
                    parent = next((known[c] for c in _derived_parent_codes(code) if c in known), None)
                    if parent is None:
                        report.errors.append(
                            RowError(
                                number,
                                "code",
                                _("No parent territory for this code: load the republic first."),
                            )
                        )
                        continue
                names = {f: row.get(f, "").strip() for f in ("name_kk", "name_ru", "name_en")}
                level = 0 if parent is None else min(parent.level + 1, Territory.Level.SETTLEMENT)
                territory = known.get(code)
                if territory is None:
                    territory = Territory.objects.create(code=code, parent=parent, level=level, **names)
                    known[code] = territory
                    report.created += 1
                else:
                    changed = {k: v for k, v in names.items() if v and getattr(territory, k) != v}
                    if changed:
                        Territory.objects.filter(pk=territory.pk).update(**changed)
                        report.updated += 1
            if report.errors:
                raise ImportRejected
            record(
                action=AuditAction.IMPORT,
                summary=f"kato: +{report.created} ~{report.updated}",
                details={
                    "kind": "kato",
                    "created": report.created,
                    "updated": report.updated,
                    "dry_run": dry_run,
                },
            )
            if dry_run:
                raise ImportRejected
    except ImportRejected:
        if report.errors:
            report.created = report.updated = 0
    return report
