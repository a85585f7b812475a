"""A mediation case from referral to closure, with the children and adults in it.

Children's personal data (names, birth dates, IINs, the narrative) lives only here, at
the school that works with the child; `anonymise_closed_cases` removes it after the
retention period and keeps the anonymous facts for statistics."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tatulyq.lib.identifiers import validate_iin
from tatulyq.orgs.models import Organisation

from .service import Mediator


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")


class Child(models.Model):
    """A pupil known to the school's mediation service, across all their cases: repeat
    involvement is found through this record, not by matching names."""

    school = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    # Case-folded name for search: SQLite folds only ASCII letters, not Kazakh or Russian.
    search_name = models.CharField(max_length=200, editable=False, default="", db_default="")
    # Kept after anonymisation so statistics keep age bands.
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "iin"], condition=~Q(iin=""), name="child_iin_once_per_school"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("(anonymised)"))

    def save(self, *args, **kwargs):
        self.search_name = self.full_name.casefold()
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


class ReferralSource(models.TextChoices):
    TEACHER = "teacher", _("teacher")
    CLASS_TEACHER = "class_teacher", _("class teacher")
    PARENT = "parent", _("parent")
    SELF = "self", _("pupil's self-referral")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    ADMINISTRATION = "administration", _("school administration")
    JUVENILE_POLICE = "juvenile_police", _("juvenile police")
    MINORS_COMMISSION = "minors_commission", _("commission on minors' affairs")


class Place(models.TextChoices):
    CLASSROOM = "classroom", _("classroom")
    CORRIDOR = "corridor", _("corridor")
    CANTEEN = "canteen", _("canteen")
    TOILETS = "toilets", _("toilets")
    YARD = "yard", _("school yard")
    SPORTS_HALL = "sports_hall", _("sports hall")
    ONLINE = "online", _("online")
    WAY = "way", _("on the way to or from school")
    OTHER = "other", pgettext_lazy("place", "other")


class HarmKind(models.TextChoices):
    VERBAL = "verbal", _("verbal")
    PHYSICAL = "physical", _("physical")
    BULLYING = "bullying", _("bullying")
    CYBERBULLYING = "cyberbullying", _("cyberbullying")
    PROPERTY = "property", _("damage to property")
    EXCLUSION = "exclusion", _("exclusion")
    OTHER = "other", pgettext_lazy("harm", "other")
    # Never mediated: recorded only to be referred.
    SEXUAL_VIOLENCE = "sexual_violence", _("sexual violence")
    SERIOUS_CRIME = "serious_crime", _("serious crime")
    DOMESTIC_VIOLENCE = "domestic_violence", _("domestic violence")


NEVER_MEDIATED = frozenset({HarmKind.SEXUAL_VIOLENCE, HarmKind.SERIOUS_CRIME, HarmKind.DOMESTIC_VIOLENCE})


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("intake")
    SCREENED = "screened", _("screened, suitable")
    REFERRED = "referred", _("referred elsewhere")
    PREPARATION = "preparation", _("preparatory meetings")
    AGREEMENT = "agreement", _("agreement, follow-up")
    CLOSURE_REQUESTED = "closure_requested", _("closure awaiting approval")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved, agreement fulfilled")
    AGREEMENT_BROKEN = "broken", _("agreement broken")
    PARTY_REFUSED = "refused", _("a party refused")
    CONSENT_WITHDRAWN = "withdrawn", _("consent withdrawn")
    REFERRED = "referred", _("referred")
    NOT_MEDIABLE = "not_mediable", _("not mediable")


class Case(models.Model):
    school = models.ForeignKey(Organisation, models.PROTECT, related_name="cases")
    number = models.CharField(_("case No."), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    referred_by = models.CharField(_("referred by"), max_length=20, choices=ReferralSource.choices)
    referred_on = models.DateField(_("referred on"))
    happened_on = models.DateField(_("happened on"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=16, choices=Place.choices)
    harm_kinds = models.JSONField(_("kind of conflict or harm"), default=list)
    description = models.TextField(_("what happened"), blank=True)
    mediators = models.ManyToManyField(
        Mediator, blank=True, related_name="cases", verbose_name=_("assigned mediators")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_approved_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, null=True, blank=True, related_name="+"
    )
    supervisor_comment = models.TextField(_("coordinator's comment"), blank=True)
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="case_number_unique_per_school"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("referred_on")),
                name="case_closes_after_referral",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["school", "-referred_on"])]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def is_never_mediated(self) -> bool:
        return bool(NEVER_MEDIATED.intersection(self.harm_kinds))

    @property
    def harm_kind_labels(self) -> list[str]:
        return [str(HarmKind(kind).label) for kind in self.harm_kinds if kind in HarmKind.values]

    @property
    def duration_days(self) -> int | None:
        return (self.closed_on - self.referred_on).days if self.closed_on else None


class ParticipantRole(models.TextChoices):
    CAUSED_HARM = "caused", _("caused harm")
    WAS_HARMED = "harmed", _("was harmed")
    BOTH = "both", _("caused and suffered harm")
    WITNESS = "witness", _("witness")
    PARENT = "parent", _("parent")
    LEGAL_REPRESENTATIVE = "representative", _("legal representative")
    TEACHER = "teacher", _("teacher")


CHILD_ROLES = (
    ParticipantRole.CAUSED_HARM,
    ParticipantRole.WAS_HARMED,
    ParticipantRole.BOTH,
    ParticipantRole.WITNESS,
)


class Participant(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    child = models.ForeignKey(Child, models.PROTECT, null=True, blank=True, related_name="participations")
    # Adults: their name here; a parent or legal representative is linked to their child.
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    represents = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("child represented"),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in CHILD_ROLES], child__isnull=False)
                | (~Q(role__in=[r.value for r in CHILD_ROLES]) & Q(child__isnull=True)),
                name="children_roles_link_a_child",
            )
        ]

    def __str__(self) -> str:
        return str(self.child) if self.child_id else (self.full_name or str(_("(anonymised)")))

    @property
    def is_child(self) -> bool:
        return self.child_id is not None


class Screening(models.Model):
    """The suitability checklist. Any red flag makes the case non-mediable."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="screening")
    sexual_violence = models.BooleanField(_("sexual violence"))
    serious_crime = models.BooleanField(_("a serious crime"))
    domestic_violence = models.BooleanField(_("domestic violence"))
    acute_danger = models.BooleanField(_("acute danger to a child"))
    power_imbalance = models.BooleanField(_("a gross imbalance of power"))
    parties_willing = models.BooleanField(_("the parties are willing to talk"))
    notes = models.TextField(_("notes"), blank=True)
    screened_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    RED_FLAGS = ("sexual_violence", "serious_crime", "domestic_violence", "acute_danger", "power_imbalance")

    @property
    def is_mediable(self) -> bool:
        return self.parties_willing and not any(getattr(self, flag) for flag in self.RED_FLAGS)


class ReferralTarget(models.TextChoices):
    JUVENILE_POLICE = "juvenile_police", _("juvenile police")
    MINORS_COMMISSION = "minors_commission", _("commission on minors' affairs")
    VICTIM_SUPPORT_CENTRE = "victim_support_centre", _("victim support centre")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    OTHER = "other", pgettext_lazy("referral", "other service")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("completed")


class Referral(models.Model):
    """Closed-loop: a receiving organisation in Tatulyq answers itself; otherwise the
    school records the answer it got."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="referrals")
    target = models.CharField(_("referred to"), max_length=24, choices=ReferralTarget.choices)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("receiving organisation in Tatulyq"),
    )
    organisation_name = models.CharField(
        _("receiving organisation (outside Tatulyq)"), max_length=300, blank=True
    )
    referred_on = models.DateField(_("referred on"))
    # What the receiving organisation needs, no more: the case's kind and the children's roles.
    summary = models.TextField(_("what the receiving organisation needs to know"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="referral_names_its_receiver",
            )
        ]


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("written, signed form")
    ORAL = "oral", _("oral, recorded by the mediator")


class Consent(models.Model):
    """Voluntary informed consent of a child, or of a minor's legal representative."""

    participant = models.ForeignKey(
        Participant, models.CASCADE, related_name="consents", verbose_name=_("whose participation")
    )
    given_by = models.ForeignKey(
        Participant, models.CASCADE, related_name="consents_given", verbose_name=_("given by")
    )
    given_on = models.DateField(_("given on"))
    form = models.CharField(_("form"), max_length=8, choices=ConsentForm.choices)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")


class MeetingKind(models.TextChoices):
    PREPARATORY = "preparatory", _("separate preparatory meeting")
    JOINT = "joint", _("joint mediation")
    CIRCLE = "circle", _("restorative circle")
    FAMILY_CONFERENCE = "family_conference", _("family group conference")


JOINT_KINDS = (MeetingKind.JOINT, MeetingKind.CIRCLE, MeetingKind.FAMILY_CONFERENCE)


class Meeting(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        Participant, related_name="meetings", verbose_name=_("participants")
    )
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["held_on", "id"]


class Agreement(models.Model):
    case = models.OneToOneField(Case, models.CASCADE, related_name="agreement")
    reached_on = models.DateField(_("reached on"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")


class ObligationKind(models.TextChoices):
    APOLOGY = "apology", _("apology")
    REPAIR = "repair", _("repair or compensation")
    BEHAVIOUR = "behaviour", _("behaviour")
    SERVICE = "service", _("service to the school")
    OTHER = "other", pgettext_lazy("obligation", "other")


class FollowUpResult(models.TextChoices):
    FULFILLED = "fulfilled", _("fulfilled")
    PARTLY = "partly", _("partly fulfilled")
    NOT = "not", _("not fulfilled")


class Obligation(models.Model):
    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="obligations")
    kind = models.CharField(_("kind"), max_length=12, choices=ObligationKind.choices)
    who = models.ForeignKey(Participant, models.PROTECT, related_name="obligations", verbose_name=_("who"))
    what = models.CharField(_("what"), max_length=500)
    due_on = models.DateField(_("by when"))
    result = models.CharField(_("result"), max_length=10, choices=FollowUpResult.choices, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_on", "id"]


class FollowUp(models.Model):
    obligation = models.ForeignKey(Obligation, models.CASCADE, related_name="follow_ups")
    checked_on = models.DateField(_("checked on"))
    result = models.CharField(_("result"), max_length=10, choices=FollowUpResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["checked_on", "id"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan", "draft")
    SUBMITTED = "submitted", pgettext_lazy("plan", "awaiting approval")
    APPROVED = "approved", pgettext_lazy("plan", "approved")
    RETURNED = "returned", pgettext_lazy("plan", "returned with a comment")


class RehabilitationPlan(models.Model):
    """For a child who caused harm: goals, activities, responsible staff, reviews."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="plans")
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="plans")
    goals = models.TextField(_("goals"))
    activities = models.TextField(
        _("activities"),
        help_text=_("Psychologist sessions, sport, art therapy, mentoring, clubs…"),
    )
    responsible = models.ForeignKey(
        "accounts.Membership", models.PROTECT, related_name="+", verbose_name=_("responsible staff member")
    )
    next_review_on = models.DateField(_("next review"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    supervisor_comment = models.TextField(_("coordinator's comment"), blank=True)
    approved_by = models.ForeignKey(
        "accounts.Membership", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rehabilitation plan")
        verbose_name_plural = _("rehabilitation plans")


class ProgressNote(models.Model):
    plan = models.ForeignKey(RehabilitationPlan, models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    author = models.ForeignKey("accounts.Membership", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["written_on", "id"]
