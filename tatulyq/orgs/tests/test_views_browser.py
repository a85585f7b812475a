from django.urls import reverse

from tatulyq.orgs.models import Organisation, OrganisationKind
from tatulyq.orgs.services import add_children


def test_ministry_sees_regions_with_their_counts(world, login_as, client):
    login_as(world.users.ministry)
    response = client.get(reverse("orgs:browser"))
    assert response.status_code == 200
    rows = {child.pk: counts for child, counts in response.context["children"]}
    assert world.orken.pk in rows
    jambyl = rows[world.jambyl_akimat.pk]
    assert jambyl.schools == 20 and jambyl.ngos == 3
    assert response.context["node"] == world.ministry


def test_district_starts_at_its_akimat_and_cannot_climb_above(world, login_as, client):
    login_as(world.users.district)
    response = client.get(reverse("orgs:browser"))
    assert response.context["node"] == world.ryskulov_akimat
    assert [a.pk for a in response.context["breadcrumb"]] == []
    assert client.get(reverse("orgs:detail", args=[world.jambyl_akimat.pk])).status_code == 404


def test_breadcrumb_stops_at_the_reach(world, login_as, client):
    login_as(world.users.district)
    response = client.get(reverse("orgs:detail", args=[world.school.pk]))
    assert [a.pk for a in response.context["breadcrumb"]] == [
        world.ryskulov_akimat.pk, world.ryskulov_education.pk,
    ]


def test_search_finds_cyrillic_names_whatever_the_case(world, login_as, client):
    login_as(world.users.district)
    response = client.get(reverse("orgs:browser"), {"q": "құлан"})
    names = [org.name_kk for org in response.context["results"]]
    assert names and all("Құлан" in name for name in names)
    response = client.get(reverse("orgs:browser"), {"q": "КУЛАН"})
    assert response.context["results"].paginator.count == len(names)


def test_search_never_leaks_beyond_the_reach(world, login_as, client):
    login_as(world.users.district)
    response = client.get(reverse("orgs:browser"), {"q": "әкімдігі"})
    found = {org.pk for org in response.context["results"]}
    assert found == {world.ryskulov_akimat.pk}


def test_search_by_bin_prefix(world, login_as, client):
    login_as(world.users.ministry)
    response = client.get(reverse("orgs:browser"), {"q": world.school.bin})
    assert [org.pk for org in response.context["results"]] == [world.school.pk]


def test_htmx_expands_one_branch_as_a_fragment(world, login_as, client):
    login_as(world.users.ministry)
    response = client.get(
        reverse("orgs:detail", args=[world.ryskulov_education.pk]),
        {"fragment": "children"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "tree__item" in body
    assert world.school.name_kk in body


def test_tree_page_query_count_does_not_grow_with_the_tree(
    world, login_as, client, django_assert_max_num_queries
):
    login_as(world.users.ministry)
    url = reverse("orgs:browser")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    # Add 300 schools and 50 NGOs; the page must cost the same number of queries.
    territory = world.school.territory
    add_children(world.ryskulov_education, [
        Organisation(kind=OrganisationKind.SCHOOL, territory=territory, name_kk=f"Қосымша {i}")
        for i in range(300)
    ])
    add_children(world.ryskulov_akimat, [
        Organisation(kind=OrganisationKind.NGO, territory=territory, name_kk=f"ҮЕҰ {i}")
        for i in range(50)
    ])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    jambyl = dict(response.context["children"].object_list)[world.jambyl_akimat]
    assert jambyl.schools == 320 and jambyl.ngos == 53


def test_long_lists_of_children_paginate(world, login_as, client):
    territory = world.school.territory
    add_children(world.ryskulov_education, [
        Organisation(kind=OrganisationKind.SCHOOL, territory=territory, name_kk=f"Бет {i:03d}")
        for i in range(120)
    ])
    login_as(world.users.district)
    url = reverse("orgs:detail", args=[world.ryskulov_education.pk])
    first = client.get(url)
    assert len(first.context["children"].object_list) == 100
    second = client.get(url, {"children_page": 2})
    assert len(second.context["children"].object_list) == 40


def test_people_page_lists_members_and_offers_invite_to_administrators(world, login_as, client):
    login_as(world.users.head)
    response = client.get(reverse("orgs:people", args=[world.school.pk]))
    emails = {m.user.email for m in response.context["memberships"]}
    assert {"head@tatulyq.example", "mediator@tatulyq.example"} <= emails
    assert response.context["can_administer"]
    login_as(world.users.mediator)
    response = client.get(reverse("orgs:people", args=[world.school.pk]))
    assert not response.context["can_administer"]
