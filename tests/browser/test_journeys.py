"""The foundation's main journeys, driven through Debian's Chromium.

Interface strings are compared with what Django's catalogue gives for the page's language
(`in_language`), so the tests hold whether a translation exists yet or not; organisation
and people names are data and are compared literally.
"""

import re
import time

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def in_language(language, function, *args):
    with translation.override(language):
        return str(function(*args))


def gettext_in(language, message):
    return in_language(language, translation.gettext, message)


def url(live_server, path):
    return re.compile("^" + re.escape(live_server.url + path))


def no_errors(page_errors):
    """Console and JavaScript errors, leaving out the browser's own favicon request."""
    return [error for error in page_errors if "favicon.ico" not in error]


# 1 ─────────────────────────────────────────────────────────────────────────────────────
def test_district_specialist_browses_searches_and_switches_to_russian(
    world, page, page_errors, artifacts, live_server
):
    user = world.users.district
    membership = user.memberships.get()
    akimat, department = world.ryskulov_akimat, world.ryskulov_education

    # The real login form, in Kazakh.
    page.goto("/kk/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()

    # Home, with who is acting and for which organisation in the header (no 2FA for this role).
    expect(page).to_have_url(live_server.url + "/kk/")
    header = page.locator("header.site-header")
    expect(header.locator(".acting-as__name")).to_have_text(user.full_name)
    expect(header.locator(".acting-as__role")).to_have_text(
        f"{in_language('kk', membership.get_role_display)} · {department.name_kk}"
    )

    # "Ұйымдар" in the main navigation.
    nav_link = page.locator("nav.main-nav a[href='/kk/organisations/']")
    expect(nav_link).to_have_text(gettext_in("kk", "Organisations"))
    nav_link.click()
    expect(page).to_have_url(live_server.url + "/kk/organisations/")
    expect(nav_link).to_have_attribute("aria-current", "page")

    # The district sees its akimat's subtree and nothing above it.
    expect(page.locator("main h1")).to_have_text(akimat.name_kk)
    expect(page.locator("nav.breadcrumb li")).to_have_count(1)  # only the page itself
    top_rows = page.locator("main ul.tree > li .tree__row > .tree__name")
    expected_top = {department.name_kk, *(ngo.name_kk for ngo in world.ngos)}
    assert set(top_rows.all_inner_texts()) == expected_top
    department_row = page.locator("main ul.tree > li").filter(has_text=department.name_kk)
    expect(department_row.locator(".tree__counts")).to_contain_text("20")

    # The education department lists all twenty schools.
    page.get_by_role("link", name=department.name_kk, exact=True).click()
    expect(page).to_have_url(live_server.url + f"/kk/organisations/{department.pk}/")
    expect(page.locator("main h1")).to_have_text(department.name_kk)
    school_names = page.locator("main ul.tree .tree__name")
    expect(school_names).to_have_count(20)
    assert set(school_names.all_inner_texts()) == {school.name_kk for school in world.schools}

    # A school's own page: heading, breadcrumb within the reach, its facts.
    school = world.school
    page.get_by_role("link", name=school.name_kk, exact=True).click()
    expect(page).to_have_url(live_server.url + f"/kk/organisations/{school.pk}/")
    expect(page.locator("main h1")).to_have_text(school.name_kk)
    expect(page.locator("nav.breadcrumb a")).to_have_text([akimat.name_kk, department.name_kk])
    facts = page.locator("aside dl.facts")
    expect(facts).to_contain_text(school.bin)
    expect(facts).to_contain_text(in_language("kk", school.get_kind_display))
    expect(page.locator("main")).to_contain_text(
        gettext_in("kk", "No organisations stand under this one.")
    )

    # Search with a lower-case Cyrillic fragment (Kazakh letters; SQLite folds only ASCII).
    wanted = world.schools[5]  # "№6 Жаңатұрмыс …"
    assert "Жаңатұрмыс" in wanted.name_kk
    search = page.locator("form[role=search]")
    search.locator("input[type=search]").fill("жаңатұр")
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "/kk/organisations/?q="))
    result_links = page.locator("section[aria-labelledby=results-heading] tbody a")
    expect(result_links).to_have_count(1)
    expect(result_links).to_have_text(wanted.name_kk)
    expect(result_links).to_have_attribute("href", f"/kk/organisations/{wanted.pk}/")

    # The header's language switcher: the same page, in Russian, at /ru/.
    page.locator(".language-switcher button[value=ru]").click()
    expect(page).to_have_url(url(live_server, "/ru/organisations/?q="))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator(".language-switcher button[value=ru]")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("main h1")).to_have_text(akimat.name_ru)
    expect(result_links).to_have_count(1)
    expect(result_links).to_have_text(wanted.name_ru)
    expect(result_links).to_have_attribute("href", f"/ru/organisations/{wanted.pk}/")
    expect(header.locator(".acting-as__role")).to_have_text(
        f"{in_language('ru', membership.get_role_display)} · {department.name_ru}"
    )
    expect(page.locator("nav.main-nav a[href='/ru/organisations/']")).to_have_text(
        gettext_in("ru", "Organisations")
    )

    assert no_errors(page_errors) == []
    page.screenshot(path=artifacts / "1-district-search-ru.png", full_page=True)


# 2 ─────────────────────────────────────────────────────────────────────────────────────
def test_mediator_must_pass_two_factor_and_a_wrong_code_is_shown_at_the_field(
    world, page, page_errors, artifacts, live_server, log_in
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tatulyq.accounts.demo import DEMO_TOTP_KEY

    user = world.users.mediator
    membership = user.memberships.get()
    two_factor_url = live_server.url + "/kk/accounts/two-factor/"

    log_in(page, user.email)
    expect(page).to_have_url(two_factor_url + "?next=%2Fkk%2F")
    # Nothing else opens before the second factor; the page asked for is kept.
    page.goto("/kk/organisations/")
    two_factor_url += "?next=%2Fkk%2Forganisations%2F"
    expect(page).to_have_url(two_factor_url)

    # A wrong code: the error stands next to the field, and the field says it is invalid.
    key = bytes.fromhex(DEMO_TOTP_KEY)
    valid_now = {f"{totp(key, drift=drift):06d}" for drift in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in valid_now)
    token = page.locator("#id_token")
    token.fill(wrong)
    page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(two_factor_url)
    field = page.locator(".field--error").filter(has=page.locator("#id_token"))
    expect(field.locator(".field-errors")).to_have_text(
        gettext_in("kk", "This code is not right. Try the newest one.")
    )
    expect(token).to_have_attribute("aria-invalid", "true")

    # django-otp throttles a device after a failure (1 s × 2^(failures-1)); a person
    # reading the error takes longer than that, the test waits for exactly that long.
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device.throttling_failure_count == 1
    factor = getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)
    remaining = device.throttling_failure_timestamp.timestamp() + factor - time.time()
    time.sleep(max(0.0, remaining) + 0.2)

    token.fill(f"{totp(key):06d}")
    page.locator("main form.form button[type=submit]").click()
    # The code leads on to the page that was asked for, and the rest of the site opens.
    expect(page).to_have_url(live_server.url + "/kk/organisations/")
    expect(page.locator("main h1")).to_have_text(world.school.name_kk)
    expect(page.locator("header .acting-as__role")).to_have_text(
        f"{in_language('kk', membership.get_role_display)} · {world.school.name_kk}"
    )
    expect(page.locator("nav.main-nav")).to_be_visible()

    assert no_errors(page_errors) == []
    page.screenshot(path=artifacts / "2-mediator-after-2fa.png", full_page=True)


# 3 ─────────────────────────────────────────────────────────────────────────────────────
def test_tree_branch_expands_in_place_with_htmx_and_navigates_without_javascript(
    world, page, new_page, page_errors, artifacts, live_server, log_in
):
    ministry, jambyl = world.ministry, world.jambyl_akimat
    jambyl_children = {world.jambyl_education.name_kk, world.ryskulov_akimat.name_kk}

    log_in(page, world.users.ministry.email)
    page.goto("/kk/organisations/")
    expect(page.locator("main h1")).to_have_text(ministry.name_kk)

    branch = page.locator("main ul.tree > li > details").filter(
        has=page.get_by_role("link", name=jambyl.name_kk, exact=True)
    )
    nested = branch.locator(".tree__branch ul.tree")
    expect(nested).to_have_count(0)
    with page.expect_response(lambda r: "fragment=children" in r.url) as response_info:
        branch.locator("summary .tree__counts").click()  # the row, not its link
    response = response_info.value
    assert response.ok
    assert response.request.headers.get("hx-request") == "true"
    assert response.url.startswith(live_server.url + f"/kk/organisations/{jambyl.pk}/")

    expect(branch).to_have_attribute("open", "")
    expect(nested).to_be_visible()
    nested_names = nested.locator(":scope > li .tree__name")
    expect(nested_names.filter(has_text=world.ryskulov_akimat.name_kk)).to_have_count(1)
    assert jambyl_children <= set(nested_names.all_inner_texts())
    # In place: same address, the fragment brought no second page header.
    expect(page).to_have_url(live_server.url + "/kk/organisations/")
    expect(page.locator("header.site-header")).to_have_count(1)
    assert no_errors(page_errors) == []
    page.screenshot(path=artifacts / "3-tree-htmx-expanded.png", full_page=True)

    # Without JavaScript the same page still works: the branch opens natively and its
    # link leads to the organisation's own page.
    plain = new_page(java_script_enabled=False)
    log_in(plain, world.users.ministry.email)
    plain.goto("/kk/organisations/")
    plain_branch = plain.locator("main ul.tree > li > details").filter(
        has=plain.get_by_role("link", name=jambyl.name_kk, exact=True)
    )
    plain_branch.locator("summary .tree__counts").click()
    expect(plain_branch).to_have_attribute("open", "")
    expect(plain_branch.locator(".tree__branch ul.tree")).to_have_count(0)  # nothing fetched
    open_link = plain_branch.locator(".tree__branch a")
    expect(open_link).to_have_attribute("href", f"/kk/organisations/{jambyl.pk}/")
    open_link.click()
    expect(plain).to_have_url(live_server.url + f"/kk/organisations/{jambyl.pk}/")
    expect(plain.locator("main h1")).to_have_text(jambyl.name_kk)
    assert jambyl_children <= set(plain.locator("main ul.tree .tree__name").all_inner_texts())
    plain.screenshot(path=artifacts / "3-tree-no-javascript.png", full_page=True)


# 4 ─────────────────────────────────────────────────────────────────────────────────────
FOCUSED = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  const name = e.matches('.skip-link') ? 'skip-link'
    : e.matches('.brand') ? 'brand'
    : e.matches('.language-switcher button') ? 'language:' + e.value
    : e.matches('main form button[type=submit]') ? 'submit'
    : e.id ? '#' + e.id : e.tagName.toLowerCase();
  return {name, outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          focusVisible: e.matches(':focus-visible')};
}"""


def test_keyboard_reaches_the_login_fields_in_order_with_a_visible_focus(
    world, page, page_errors, artifacts
):
    page.goto("/kk/accounts/login/")
    # The page opens with the cursor in the e-mail field.
    assert page.evaluate(FOCUSED)["name"] == "#id_username"

    # Walk round to the top of the page, then Tab forward as a keyboard user would.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["name"] == "skip-link":
            break
    else:
        pytest.fail("Tab never reached the skip link")
    skip = page.locator(".skip-link").bounding_box()
    assert skip["x"] >= 0 and skip["y"] >= 0, "the focused skip link stays off-screen"

    stops = [page.evaluate(FOCUSED)]
    while stops[-1]["name"] != "submit" and len(stops) < 15:
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
    assert [stop["name"] for stop in stops] == [
        "skip-link", "brand", "language:kk", "language:ru", "language:en",
        "#id_username", "#id_password", "submit",
    ]
    for stop in stops:
        assert stop["focusVisible"], stop
        assert stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 2, stop

    assert no_errors(page_errors) == []
    page.screenshot(path=artifacts / "4-login-keyboard-focus.png", full_page=True)


# 5 ─────────────────────────────────────────────────────────────────────────────────────
def test_five_wrong_passwords_lock_the_account_out(
    world, page, page_errors, artifacts, live_server, log_in
):
    email = world.users.district.email
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    invalid_login = gettext_in(
        "kk", "The e-mail or the password is not right. The password is case-sensitive."
    )
    locked_title = gettext_in("kk", "Too many attempts")

    for attempt in range(1, limit):
        log_in(page, email, password=f"wrong-password-{attempt}")
        expect(page.locator(".form-errors")).to_have_text(invalid_login)
        expect(page.locator("main h1")).not_to_have_text(locked_title)

    # The fifth failure reaches the limit, so its own answer is already the lockout page.
    with page.expect_response(lambda r: r.request.method == "POST") as fifth:
        log_in(page, email, password=f"wrong-password-{limit}")
    assert fifth.value.status == 429
    expect(page.locator("main h1")).to_have_text(locked_title)

    # The next attempt, even with the right password, is refused with the same page.
    with page.expect_response(lambda r: r.request.method == "POST") as next_attempt:
        log_in(page, email)
    assert next_attempt.value.status == 429
    card = page.locator("main .auth.card[role=alert]")
    expect(card.locator("h1")).to_have_text(locked_title)
    expect(card.locator("a")).to_have_attribute("href", "/kk/accounts/password-reset/")
    expect(page.locator(".acting-as")).to_have_count(0)  # nobody is logged in
    page.screenshot(path=artifacts / "5-lockout.png", full_page=True)

    page.goto("/kk/")
    expect(page).to_have_url(url(live_server, "/kk/accounts/login/"))
    # The only console errors are the browser's notes on the two 429 answers.
    assert all("429" in error for error in no_errors(page_errors)), page_errors
