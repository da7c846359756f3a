"""Every URL the product serves, walked from the URL configuration: a stranger opens only
the public pages. A URL added later without protection fails here."""

import re

import pytest
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {
    "",
    "privacy/",
    "copyright/",
    "transparency/",
    "transparency/report.csv",
    "notices/new/",
    "api/schema/",
    "api/docs/",
    "admin/login/",
}
LOGIN = {"/admin/login/", "/admin/"}
STRANGER_TOKEN = "Xq3" * 14 + "A"  # the shape of a real link's token, matching no case


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _url(route: str) -> str:
    """A concrete address for a route: each parameter filled with a plausible value."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\(\?P<app_label>[^)]*\)", "notices", route)
    route = re.sub(r"<(\w+:)?(token|reference)>", STRANGER_TOKEN, route)
    return "/" + re.sub(r"<[^>]+>", "1", route)


ROUTES = sorted(set(_routes()))


def test_the_walk_finds_every_part_of_the_product():
    assert {"notices/status/<str:token>/", "api/v1/notices/<str:reference>/"} <= set(ROUTES)
    assert len([r for r in ROUTES if r.startswith("admin/")]) > 50


@pytest.mark.parametrize("route", ROUTES)
def test_a_stranger_opens_only_the_public_pages(client, route):
    url = _url(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if route in PUBLIC:
            continue
        if route.startswith("admin/"):
            assert response.status_code in (302, 403, 404, 405), (method, url)
            if response.status_code == 302:  # to the login, or to the index that asks for it
                assert response["Location"].split("?")[0] in LOGIN, (method, url)
        elif route.startswith("api/"):
            assert response.status_code == 401, (method, url)
        else:  # private links: a token that names no case
            assert response.status_code == 404, (method, url)
    if route in PUBLIC:
        assert client.get(url).status_code == 200, url
