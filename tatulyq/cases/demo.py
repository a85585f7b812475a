"""Demo mediation services in the T. Ryskulov schools and about forty fictional cases
across every status and outcome (children's names are invented; IINs only have a
valid format). Idempotent: nothing is added when School No. 1 already has cases."""

import datetime
import random

from django.utils import timezone

from tatulyq.accounts.models import Membership, Role

from . import services
from .models import (
    Case,
    MediationService,
    Mediator,
    MeetingKind,
    Outcome,
    ParticipantRole,
    ReferralStatus,
    ReferralTarget,
    Training,
)

D = datetime.date
BOYS = ["Асқар", "Дәулет", "Нұрсұлтан", "Ерасыл", "Әлихан", "Бекзат", "Тимур", "Арман", "Ілияс", "Санжар"]
GIRLS = ["Аружан", "Әйгерім", "Жансая", "Мадина", "Томирис", "Іңкәр", "Дана", "Айым", "Өмірзая", "Аяла"]
SURNAMES = ["Бекұлы", "Серікұлы", "Жұмабай", "Тоқтаров", "Әбдіқадыр", "Оспан", "Нұрланұлы", "Қасым"]
PARENTS = ["Гүлнар", "Бақыт", "Самал", "Ерлан", "Жанар", "Қайрат", "Шолпан", "Мұрат"]

# (status to reach, outcome when closed, harm kinds)
PLAN = (
    [("intake", "", ["verbal"])] * 3
    + [("screened", "", ["bullying"])] * 3
    + [("preparation", "", ["physical"])] * 4
    + [("agreement", "", ["bullying", "verbal"])] * 6
    + [("closure_requested", Outcome.RESOLVED, ["property"])] * 2
    + [("closed", Outcome.RESOLVED, ["verbal", "exclusion"])] * 8
    + [("closed", Outcome.AGREEMENT_BROKEN, ["physical"])] * 3
    + [("closed", Outcome.PARTY_REFUSED, ["cyberbullying"])] * 2
    + [("closed", Outcome.CONSENT_WITHDRAWN, ["bullying"])] * 2
    + [("referred", Outcome.REFERRED, ["domestic_violence"])] * 2
    + [("referred", Outcome.REFERRED, ["sexual_violence"])] * 1
    + [("closed", Outcome.NOT_MEDIABLE, ["physical"])] * 2
)
PASSES = {
    "sexual_violence": False,
    "serious_crime": False,
    "domestic_violence": False,
    "acute_danger": False,
    "power_imbalance": False,
    "parties_willing": True,
}


def _iin(birth: datetime.date, sex: str, serial: int) -> str:
    from tatulyq.lib.identifiers import make_valid

    century = 5 if sex == "m" else 6  # born 2000–2099
    while True:
        candidate = make_valid(f"{birth:%y%m%d}{century}{serial:04d}")
        if candidate:
            return candidate
        serial += 1


def _services(orgs: dict) -> dict:
    school = orgs["school"]
    people = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(organisation=school).select_related("user")
    }
    result = {}
    for index, org in enumerate(orgs["schools"]):
        mediator_membership = Membership.objects.filter(organisation=org, role=Role.SCHOOL_MEDIATOR).first()
        coordinator = people.get("psychologist") if org == school else mediator_membership
        service, _ = MediationService.objects.get_or_create(
            school=org, defaults={"coordinator": coordinator, "founded_on": D(2024, 9, 1)}
        )
        if org == school:
            adult = Mediator.objects.create(
                service=service,
                kind=Mediator.Kind.ADULT,
                membership=people["mediator"],
                full_name=people["mediator"].user.full_name,
            )
            Training.objects.create(
                mediator=adult,
                course="Мектеп медиациясы және қалпына келтіру тәсілдері",
                provider="«Өркен» институты",
                hours=72,
                completed_on=D(2024, 10, 18),
                certificate_number="ӨРК-2024-0117",
                expires_on=D(2027, 10, 18),
            )
            for name, grade in (("Томирис Оспан", 10), ("Бекзат Қасым", 9)):
                peer = Mediator.objects.create(
                    service=service, kind=Mediator.Kind.PEER, full_name=name, grade=grade
                )
                Training.objects.create(
                    mediator=peer,
                    course="Құрдас медиаторлар мектебі",
                    hours=24,
                    completed_on=D(2025, 2, 14),
                    expires_on=D(2027, 2, 14),
                )
            Mediator.objects.create(service=service, kind=Mediator.Kind.ADULT, full_name="Сәуле Жақсыбекова")
        else:
            mediator_membership = Membership.objects.filter(
                organisation=org, role=Role.SCHOOL_MEDIATOR
            ).first()
            adult = Mediator.objects.create(
                service=service,
                kind=Mediator.Kind.ADULT,
                membership=mediator_membership,
                full_name=mediator_membership.user.full_name
                if mediator_membership
                else f"Медиатор {index + 1}",
            )
            Training.objects.create(
                mediator=adult,
                course="Мектеп медиациясы",
                hours=72,
                completed_on=D(2024, 11, 1),
                expires_on=D(2027, 11, 1),
            )
        result[org.pk] = service
    return result


def build(orgs: dict) -> int:
    school, other = orgs["school"], orgs["other_school"]
    if Case.objects.filter(school=school).exists():
        return 0
    service_of = _services(orgs)
    rng = random.Random(20260201)
    staff = {m.role: m for m in Membership.objects.filter(organisation=school)}
    other_staff = Membership.objects.filter(organisation=other, role=Role.SCHOOL_MEDIATOR).first()
    count = 0
    for index, (status, outcome, harm) in enumerate(PLAN):
        at_other = index % 5 == 4 and other_staff is not None
        author = other_staff if at_other else staff[Role.SCHOOL_MEDIATOR]
        service = service_of[(other if at_other else school).pk]
        referred_on = _referral_date(rng, index, status)
        _demo_case(
            rng,
            index,
            author,
            service,
            status,
            outcome,
            harm,
            referred_on,
            coordinator=service.coordinator,
            orgs=orgs,
        )
        count += 1
    _early_warning(staff, service_of[school.pk], orgs)
    return count + 1


def _referral_date(rng, index: int, status: str) -> datetime.date:
    """Closed and referred cases spread over the school year behind us; open ones are
    recent, so the work lists show what a mediator would see this month."""
    today = timezone.localdate()
    if status in ("closed", "referred", "closure_requested"):
        return min(
            D(2025, 9, 8) + datetime.timedelta(days=index * 9 + rng.randint(0, 5)),
            today - datetime.timedelta(days=75),
        )
    return today - datetime.timedelta(days=8 + (index % 18) * 2 + rng.randint(0, 2))


def _child(rng, index, role, serial):
    sex = rng.choice("mf")
    first = rng.choice(BOYS if sex == "m" else GIRLS)
    birth = D(rng.randint(2009, 2015), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "role": role,
        "full_name": f"{first} {rng.choice(SURNAMES)}",
        "sex": sex,
        "birth_date": birth,
        "grade": min(11, max(1, 2026 - birth.year - 6)),
        "iin": _iin(birth, sex, 100 + serial),
    }


def _demo_case(rng, index, author, service, status, outcome, harm, referred_on, coordinator, orgs):
    children = [_child(rng, index, "caused", index * 3), _child(rng, index, "harmed", index * 3 + 1)]
    adults = [
        {
            "role": ParticipantRole.PARENT,
            "full_name": f"{rng.choice(PARENTS)} {rng.choice(SURNAMES)}",
            "represents": i,
        }
        for i in range(2)
    ]
    case = services.open_case(
        author=author,
        referred_by=rng.choice(["class_teacher", "teacher", "parent", "self"]),
        referred_on=referred_on,
        happened_on=referred_on - datetime.timedelta(days=1),
        place=rng.choice(["classroom", "corridor", "yard", "online", "canteen"]),
        harm_kinds=harm,
        description="Оқиға сипаттамасы (демо).",
        children=children,
        adults=adults,
    )
    mediators = [m for m in service.mediators.all() if m.is_trained_on(referred_on)][:1]
    services.assign_mediators(author=author, case=case, mediators=mediators)
    if status == "intake":
        return case
    flags = dict(PASSES)
    if outcome == Outcome.NOT_MEDIABLE:
        flags["power_imbalance"] = True
    services.screen_case(author=author, case=case, **flags)
    if status == "referred" or outcome == Outcome.NOT_MEDIABLE:
        in_tatulyq = "domestic_violence" in harm
        referral = services.refer_case(
            author=author,
            case=case,
            referred_on=referred_on + datetime.timedelta(days=1),
            target=ReferralTarget.VICTIM_SUPPORT_CENTRE if in_tatulyq else ReferralTarget.JUVENILE_POLICE,
            organisation=orgs["ngos"][0] if in_tatulyq else None,
            organisation_name=""
            if in_tatulyq
            else "Т. Рысқұлов аудандық полиция бөлімінің ювеналдық полиция тобы",
            summary="Жағдай түрі және балалардың рөлдері (демо).",
        )
        if in_tatulyq and index % 2 == 0:
            ngo = Membership.objects.filter(organisation=orgs["ngos"][0]).first()
            services.update_referral(author=ngo, referral=referral, status=ReferralStatus.ACCEPTED)
        if outcome == Outcome.NOT_MEDIABLE:
            services.request_closure(author=author, case=case, outcome=Outcome.NOT_MEDIABLE)
            services.decide_closure(
                coordinator=coordinator,
                case=case,
                approve=True,
                closed_on=referred_on + datetime.timedelta(days=3),
            )
        return case
    if status == "screened":
        return case
    participants = list(case.participants.filter(child__isnull=False))
    day = referred_on + datetime.timedelta(days=2)
    services.record_meeting(
        author=author,
        case=case,
        kind=MeetingKind.PREPARATORY,
        held_on=day,
        participants=participants[:1],
        outcome="Жеке дайындық кездесуі өтті.",
    )
    if outcome == Outcome.PARTY_REFUSED:
        services.request_closure(author=author, case=case, outcome=outcome)
        services.decide_closure(coordinator=coordinator, case=case, approve=True, closed_on=day)
        return case
    for participant in participants:
        services.record_consent(
            author=author, participant=participant, given_by=participant, given_on=day, form="written"
        )
        services.record_consent(
            author=author,
            participant=participant,
            given_by=participant.representatives.first(),
            given_on=day,
            form="written",
        )
    if outcome == Outcome.CONSENT_WITHDRAWN:
        services.withdraw_consent(
            author=author,
            consent=participants[1].consents.first(),
            withdrawn_on=day + datetime.timedelta(days=2),
        )
        services.decide_closure(
            coordinator=coordinator, case=case, approve=True, closed_on=day + datetime.timedelta(days=3)
        )
        return case
    if status == "preparation":
        return case
    joint_day = day + datetime.timedelta(days=rng.randint(3, 9))
    services.record_meeting(
        author=author,
        case=case,
        kind=rng.choice([MeetingKind.JOINT, MeetingKind.CIRCLE]),
        held_on=joint_day,
        participants=participants,
        outcome="Тараптар келісімге келді.",
    )
    services.record_agreement(
        author=author,
        case=case,
        reached_on=joint_day,
        obligations=[
            {
                "kind": "apology",
                "who": participants[0],
                "what": "Кешірім сұрау",
                "due_on": joint_day + datetime.timedelta(days=3),
            },
            {
                "kind": "behaviour",
                "who": participants[0],
                "what": "Сыныпта сыйластық ережесін сақтау",
                "due_on": joint_day + datetime.timedelta(days=30),
            },
        ],
    )
    if status == "agreement":
        return case
    result = "not" if outcome == Outcome.AGREEMENT_BROKEN else "fulfilled"
    for obligation in case.agreement.obligations.all():
        services.record_follow_up(
            author=author, obligation=obligation, checked_on=obligation.due_on, result=result
        )
    reason = "Міндеттеме орындалмады, сынып жетекшісі хабардар." if result == "not" else ""
    services.request_closure(author=author, case=case, outcome=outcome, reason=reason)
    if status == "closed":
        services.decide_closure(
            coordinator=coordinator,
            case=case,
            approve=True,
            closed_on=joint_day + datetime.timedelta(days=35),
        )
    if outcome == Outcome.AGREEMENT_BROKEN and coordinator is not None:
        caused = participants[0]
        plan = services.save_plan(
            author=author,
            case=case,
            participant=caused,
            goals="Ашуды басқару, сыныптастарымен қарым-қатынас",
            activities="Психологпен 6 кездесу; спорт секциясы; тәлімгер",
            responsible=coordinator,
            next_review_on=joint_day + datetime.timedelta(days=60),
        )
        services.decide_plan(coordinator=coordinator, plan=plan, approve=True)
    return case


def _early_warning(staff, service, orgs):
    """One child in two cases within 90 days: the psychologist's page flags them."""
    author = staff[Role.SCHOOL_MEDIATOR]
    first = (
        Case.objects.filter(school=orgs["school"], status="closed", outcome=Outcome.RESOLVED)
        .order_by("-referred_on")
        .first()
    )
    child = first.participants.filter(role="caused").get().child
    services.open_case(
        author=author,
        referred_by="class_teacher",
        referred_on=min(first.referred_on + datetime.timedelta(days=40), timezone.localdate()),
        place="yard",
        harm_kinds=["physical"],
        description="Қайталанған жағдай (демо).",
        children=[{"role": "caused", "child": child}],
    )
