"""The organisation browser (orgs:browser) for the Ministry officer, over the national tree.

Four pages, each a JSON line: the Ministry's own tree page (its 21 children with
per-branch counts over ~10,200 organisations), Jambyl akimat's page, T. Ryskulov's
education department (35 schools; 20 in the demo), and a search for "мектеп" (which
matches the 7,680 synthetic schools) within the Ministry's reach.

The tree pages must cost the same number of SQL queries on the demo tree alone as on
the national tree: the small-tree figures are taken inside a transaction that deletes
the national part (BINs with national.SYNTHETIC_BIN_PREFIX) and is rolled back. The
Ministry and region pages have the same children in both trees and many more
descendants, so they catch a cost that grows with the subtree; the district page has
20 children in one and 35 in the other, so it catches one query per child (N+1).
The search is reported on both too, but not compared: on the demo tree "мектеп"
finds nothing, and an empty page of results needs one query fewer.
"""

from __future__ import annotations

import gc
import time

from benchmarks import national
from benchmarks._lib import log, summarise

TARGET_MS = 150.0
MINISTRY_EMAIL = "ministry@tatulyq.example"
SMALL_TREE_REQUESTS = 10


def _ministry_client(orgs: dict):
    from django.test import Client

    from tatulyq.accounts.models import Membership, Role
    from tatulyq.accounts.selectors import SESSION_KEY

    membership = Membership.objects.select_related("user").get(
        user__email=MINISTRY_EMAIL, organisation=orgs["ministry"], role=Role.MINISTRY_OFFICER
    )
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    return client


def _pages(orgs: dict) -> list[dict]:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("kk"):
        browser = reverse("orgs:browser")
        region = reverse("orgs:detail", args=[orgs["jambyl_akimat"].pk])
        district = reverse("orgs:detail", args=[orgs["ryskulov_education"].pk])
    return [
        {"name": "org_tree_ministry", "url": browser, "data": {}, "constant": True,
         "children_of": orgs["ministry"]},
        {"name": "org_tree_region", "url": region, "data": {}, "constant": True,
         "children_of": orgs["jambyl_akimat"]},
        {"name": "org_tree_district", "url": district, "data": {}, "constant": True,
         "children_of": orgs["ryskulov_education"]},
        {"name": "org_tree_search", "url": browser, "data": {"q": "мектеп"}, "constant": False,
         "children_of": orgs["ministry"]},
    ]


def _get(client, page: dict):
    response = client.get(page["url"], page["data"])
    if response.status_code != 200:
        raise RuntimeError(
            f"{page['name']}: GET {page['url']} answered {response.status_code}, not 200"
        )
    return response


def _check_page(client, page: dict) -> None:
    """The page shows what it should, so that we time the real thing."""
    from tatulyq.orgs.models import Organisation

    body = _get(client, page).content.decode()
    expected = Organisation.objects.filter(parent=page["children_of"]).count()
    shown = body.count('class="tree__item"')
    if shown != min(expected, 100):
        raise RuntimeError(f"{page['name']}: {shown} children shown, {expected} expected")
    if page["data"].get("q") and 'id="results-heading"' not in body:
        raise RuntimeError(f"{page['name']}: no search results section")


def _measure(client, page: dict, requests: int, warmup: int) -> tuple[list[float], list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        _get(client, page)
    gc.collect()
    times, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            _get(client, page)
            elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries


def _small_tree(client, pages: list[dict]) -> dict[str, tuple[list[float], list[int]]]:
    """The same pages with the demo tree alone (the national part deleted, then restored)."""
    from django.db import connection, transaction

    from tatulyq.orgs.models import Organisation

    quote = connection.ops.quote_name
    measured = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One statement, so parents and children go together, and no ORM collector.
            cursor.execute(
                f"DELETE FROM {quote(Organisation._meta.db_table)} WHERE {quote('bin')} LIKE %s",
                [national.SYNTHETIC_BIN_PREFIX + "%"],
            )
        log(f"bench: small tree = the demo alone, {Organisation.objects.count()} organisations")
        for page in pages:
            _check_page(client, page)
            measured[page["name"]] = _measure(client, page, SMALL_TREE_REQUESTS, 2)
        transaction.set_rollback(True)
    return measured


def run(args) -> list[dict]:
    from django.db import connection

    from tatulyq.orgs.models import Organisation

    orgs = national.demo_world()
    national.generate()
    client = _ministry_client(orgs)
    pages = _pages(orgs)
    small = _small_tree(client, pages)
    log(f"bench: national tree, {Organisation.objects.count()} organisations "
        f"({connection.vendor})")
    results = []
    for page in pages:
        _check_page(client, page)
        times, queries = _measure(client, page, args.requests, args.warmup)
        small_times, small_queries = small[page["name"]]
        result = summarise(
            page["name"], times, queries,
            queries_small_tree=max(small_queries), target_ms=TARGET_MS,
        )
        problems = []
        if page["constant"] and result["queries"] != result["queries_small_tree"]:
            problems.append(
                f"{result['queries']} queries on the national tree, "
                f"{result['queries_small_tree']} on the demo tree: the cost grows with the tree"
            )
        if min(queries) != max(queries):
            log(f"bench: {page['name']}: between {min(queries)} and {max(queries)} queries")
        log(f"bench: {page['name']}: demo tree p50 "
            f"{summarise('', small_times, small_queries)['p50_ms']} ms")
        result["problems"] = problems
        results.append(result)
    return results
