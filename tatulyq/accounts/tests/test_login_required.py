"""LoginRequiredMiddleware: every page needs a login except the few public ones."""

import pytest

LOGIN = "/kk/accounts/login/"


@pytest.mark.parametrize("page", ["/kk/", "/kk/organisations/", "/kk/audit/", "/ru/"])
def test_anonymous_visitor_is_sent_to_the_login_page(client, db, page):
    response = client.get(page)
    assert response.status_code == 302
    language = page.split("/")[1]
    assert response["Location"] == f"/{language}/accounts/login/?next={page}"


def test_healthz_is_public(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "page", [LOGIN, "/kk/accounts/password-reset/", "/kk/accounts/password-reset/sent/"]
)
def test_login_and_password_reset_pages_are_public(client, db, page):
    assert client.get(page).status_code == 200


def test_anonymous_post_to_a_page_is_sent_to_login_too(client, db):
    response = client.post("/kk/accounts/membership/", {"membership": 1})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_two_factor_page_needs_a_password_login_first(client, db):
    response = client.get("/kk/accounts/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
