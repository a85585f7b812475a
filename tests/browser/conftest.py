"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

`browser` is one Chromium for this package's tests; `page` is a fresh context (cookies, storage)
per test, opened at the live server. Pages in a test that need a second context (for
example with JavaScript switched off) ask `new_page`.

Chromium is never downloaded: the tests use /usr/bin/chromium (`make test` installs
Debian's package) and fail, not skip, when it is missing.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("TATULYQ_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so `page` can screenshot a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def allow_django_beside_playwright():
    """Playwright's sync API keeps an event loop running in the main thread, which Django
    takes for async code and refuses database access from (the `world` fixture, the
    database flush between live-server tests). Allowed for this package's tests only:
    left in the environment, it would also reach the rest of the suite and the
    subprocesses some tests start (`check --deploy` rightly fails on it)."""
    key = "DJANGO_ALLOW_ASYNC_UNSAFE"
    previous = os.environ.get(key)
    os.environ[key] = "true"
    yield
    if previous is None:
        del os.environ[key]
    else:
        os.environ[key] = previous


@pytest.fixture(scope="package")
def browser(allow_django_beside_playwright):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}. The browser tests use Debian's Chromium and "
            "never download one: install it with `apt-get install chromium` (`make test` "
            "does this), or point TATULYQ_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _async_unsafe_allowed(allow_django_beside_playwright):
    """Every test here runs with the variable set, before its database fixtures."""


@pytest.fixture(scope="package")
def artifacts():
    """test-artifacts/ (git-ignored): each journey's last page, and FAILED-* shots."""
    ARTIFACTS.mkdir(exist_ok=True)
    for stale in ARTIFACTS.glob("FAILED-*.png"):  # from an earlier run
        stale.unlink()
    return ARTIFACTS


@pytest.fixture
def page_errors():
    """JavaScript errors and console errors (CSP violations among them) seen by `page`."""
    return []


@pytest.fixture
def new_page(browser, live_server, page_errors, artifacts, request):
    """Open a page in a fresh browser context; contexts close when the test ends."""
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORT, **context_options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: message.type == "error"
            and page_errors.append(
                f"console: {message.text} ({message.location.get('url') or page.url})"
            ),
        )
        return page

    yield open_page

    failed = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            name = re.sub(r"[^\w-]+", "_", request.node.name)
            for page in context.pages:
                page.screenshot(path=artifacts / f"FAILED-{name}-{number}.png", full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in(live_server):
    """Log in through the real form; returns the page where the login lands."""
    from django.conf import settings

    def log_in(page, email, password=None, language="kk"):
        page.goto(f"/{language}/accounts/login/")
        page.locator("#id_username").fill(email)
        page.locator("#id_password").fill(password or settings.DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page

    return log_in
