import pytest
from django.core.exceptions import ValidationError

from tatulyq.orgs.models import Organisation, OrganisationKind, Territory
from tatulyq.orgs.services import add_children, create_organisation


@pytest.fixture
def jambyl(db):
    return Territory.objects.get(code="310000000")


def test_path_lists_every_ancestor(world):
    school = world.school
    assert school.path == (
        f"/{world.ministry.pk}/{world.jambyl_akimat.pk}/{world.ryskulov_akimat.pk}/"
        f"{world.ryskulov_education.pk}/{school.pk}/"
    )
    assert school.depth == 4
    assert school.ancestor_ids == [
        world.ministry.pk, world.jambyl_akimat.pk, world.ryskulov_akimat.pk,
        world.ryskulov_education.pk,
    ]


def test_subtree_of_a_district_holds_its_schools_and_ngos_only(world):
    subtree = Organisation.objects.filter(path__startswith=world.ryskulov_akimat.path)
    kinds = set(subtree.values_list("kind", flat=True))
    assert subtree.filter(kind=OrganisationKind.SCHOOL).count() == 20
    assert subtree.filter(kind=OrganisationKind.NGO).count() == 3
    assert OrganisationKind.REGIONAL_AKIMAT not in kinds


def test_moving_a_branch_rewrites_every_path_below_it(world):
    department = world.ryskulov_education
    other_akimat = world.ryskulov_akimat.parent.children.filter(
        kind=OrganisationKind.DISTRICT_AKIMAT
    ).exclude(pk=world.ryskulov_akimat.pk).first()
    department.parent = other_akimat
    department.save()
    school = Organisation.objects.get(pk=world.school.pk)
    assert school.path.startswith(other_akimat.path)
    assert school.depth == other_akimat.depth + 2


def test_school_cannot_stand_under_a_ministry(world):
    with pytest.raises(ValidationError) as error:
        create_organisation(
            parent=world.ministry, kind=OrganisationKind.SCHOOL,
            territory=world.school.territory, name_kk="Мектеп",
        )
    assert "parent" in error.value.message_dict


def test_an_organisation_cannot_be_placed_under_its_own_descendant(world):
    akimat = world.ryskulov_akimat
    akimat.parent = world.ryskulov_education
    with pytest.raises(ValidationError):
        akimat.full_clean()


def test_bulk_children_get_their_paths_in_one_update(world, django_assert_num_queries):
    territory = world.school.territory
    schools = [
        Organisation(kind=OrganisationKind.SCHOOL, territory=territory, name_kk=f"Мектеп {i}")
        for i in range(30)
    ]
    with django_assert_num_queries(2):
        add_children(world.ryskulov_education, schools)
    stored = Organisation.objects.filter(name_kk__startswith="Мектеп ")
    assert stored.count() == 30
    assert all(s.path == f"{world.ryskulov_education.path}{s.pk}/" for s in stored)
    assert all(s.search_text.startswith("мектеп") for s in stored)


def test_duplicate_bin_is_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            kind=OrganisationKind.NGO, parent=world.ryskulov_akimat,
            territory=world.school.territory, name_kk="Көшірме", bin=world.school.bin,
        )
