"""The desk's forms for notices that came by post, e-mail or fax, as the agent sees them:
every field starts on one line (not wherever its label ends), at a desktop's width and a
phone's."""

import os

import pytest
from django.urls import reverse

from tests.browser.test_agent_desk import designated_agent, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "admin:notices_notice_log",
    "admin:counternotices_counternotice_log",
    "admin:notices_inboundmessage_upload",
]
# The left edge of each visible text field, list and file field of the form.
FIELD_EDGES = """() => [...document.querySelectorAll(
    '.desk-log input:not([type=hidden]):not([type=submit]):not([type=checkbox]), '
    + '.desk-log select, .desk-log textarea')]
  .map(field => Math.round(field.getBoundingClientRect().left))"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_the_fields_line_up(live_server, page, designated_agent, name, width):  # noqa: F811
    sign_in(page, live_server.url, designated_agent.username)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse(name))
    if os.environ.get("LAYOUT_SCREENSHOTS"):
        path = f"{os.environ['LAYOUT_SCREENSHOTS']}/{name.split(':')[1]}-{width}.png"
        page.screenshot(path=path, full_page=True)
    edges = page.evaluate(FIELD_EDGES)
    assert edges and len(set(edges)) == 1, edges
    assert page.evaluate("document.documentElement.scrollWidth") <= width
