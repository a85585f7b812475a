from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.orgs.models import Organisation, OrganisationKind


def membership(world, email, **filters):
    return Membership.objects.select_related("organisation").get(
        user=getattr(world.users, email), **filters
    )


def test_ministry_sees_every_organisation(world):
    m = membership(world, "ministry")
    assert scoping.visible_organisations(m).count() == Organisation.objects.count()


def test_methodological_centre_acts_with_the_ministry_reach(world):
    m = membership(world, "methodologist")
    assert scoping.reach_of(m.organisation) == world.ministry
    assert scoping.can_see_organisation(m, world.school)


def test_regional_education_department_sees_its_whole_region_and_nothing_else(world):
    m = membership(world, "region", organisation=world.jambyl_education)
    visible = scoping.visible_organisations(m)
    assert visible.filter(pk=world.school.pk).exists()
    assert visible.filter(pk=world.ryskulov_akimat.pk).exists()
    other_region = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).exclude(
        pk=world.jambyl_akimat.pk
    ).first()
    assert not visible.filter(pk=other_region.pk).exists()
    assert not visible.filter(pk=world.ministry.pk).exists()


def test_district_department_sees_its_district_but_not_the_neighbour(world):
    m = membership(world, "district")
    visible = scoping.visible_organisations(m)
    assert visible.filter(kind=OrganisationKind.SCHOOL).count() == 20
    neighbour = world.jambyl_akimat.children.filter(
        kind=OrganisationKind.DISTRICT_AKIMAT
    ).exclude(pk=world.ryskulov_akimat.pk).first()
    assert not scoping.can_see_organisation(m, neighbour)
    assert not scoping.can_see_organisation(m, world.jambyl_akimat)


def test_school_sees_only_itself(world):
    m = membership(world, "mediator")
    assert list(scoping.visible_organisations(m)) == [world.school]


def test_child_data_only_for_child_roles_at_the_same_organisation(world):
    mediator = membership(world, "mediator")
    other_mediator = membership(world, "mediator2")
    district = membership(world, "district")
    ministry = membership(world, "ministry")
    assert scoping.can_handle_child_data(mediator, world.school)
    assert not scoping.can_handle_child_data(other_mediator, world.school)
    # Reach over the school is not enough: nobody above it sees a child's identity.
    assert not scoping.can_handle_child_data(district, world.school)
    assert not scoping.can_handle_child_data(ministry, world.school)


def test_child_records_are_scoped_to_the_own_organisation(world):
    # Any queryset works for the rule; memberships are keyed by organisation too.
    queryset = Membership.objects.all()
    mediator = membership(world, "mediator")
    scoped = scoping.scope_child_records(queryset, mediator)
    assert set(scoped.values_list("organisation_id", flat=True)) == {world.school.pk}
    assert not scoping.scope_child_records(queryset, membership(world, "district")).exists()
    assert not scoping.scope_child_records(queryset, None).exists()


def test_administrators_manage_their_own_subtree_only(world):
    district = membership(world, "district")
    assert scoping.can_administer(district, world.school)
    assert scoping.can_administer(district, world.ryskulov_education)
    assert not scoping.can_administer(district, world.ryskulov_akimat)  # above it
    mediator = membership(world, "mediator")
    assert not scoping.can_administer(mediator, world.school)  # not an administrator


def test_auditor_reads_but_never_writes(world):
    auditor = membership(world, "auditor")
    assert scoping.visible_organisations(auditor).count() == Organisation.objects.count()
    assert not scoping.can_write(auditor)
    assert auditor.role == Role.AUDITOR


def test_only_regional_or_republic_administrators_import_schools(world):
    assert scoping.can_import_schools(membership(world, "region", organisation=world.jambyl_education))
    assert not scoping.can_import_schools(membership(world, "district"))
    assert not scoping.can_import_schools(membership(world, "head"))
    assert scoping.can_import_schools(membership(world, "admin"))
