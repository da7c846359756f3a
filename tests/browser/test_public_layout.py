"""The public pages at a phone's width (390 px) and a desktop's (1,280 px): the header
keeps its links on one line, no section heading sits on its box's border, nothing is
wider than the screen. And what the status page says of each location."""

import os
import re

import pytest
from django.urls import reverse

from tests.browser.test_accessibility import PAGES, taken_down_in_part

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each header link's top is, the widest thing on the page, and for each section
# heading how far below its box's top edge it starts (negative: on the border).
MEASURE = """() => ({
  linkTops: [...document.querySelectorAll('.site-header .nav-link')]
    .map(link => Math.round(link.getBoundingClientRect().top)),
  headerHeight: document.querySelector('.site-header').getBoundingClientRect().height,
  scrollWidth: document.documentElement.scrollWidth,
  headingOffsets: [...document.querySelectorAll('fieldset.notice-section > legend')]
    .map(legend => legend.getBoundingClientRect().top
                   - legend.parentElement.getBoundingClientRect().top),
})"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_the_page_fits_the_screen(live_server, page, name, width):
    setup, action = PAGES[name]
    path = setup()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{path}")
    if action:
        action(page)
    if os.environ.get("LAYOUT_SCREENSHOTS"):  # a folder: see what was checked
        name_part = re.sub(r"\W+", "-", name)
        page.screenshot(
            path=f"{os.environ['LAYOUT_SCREENSHOTS']}/{name_part}-{width}.png", full_page=True
        )
    measured = page.evaluate(MEASURE)
    assert len(set(measured["linkTops"])) == 1, f"header links on several lines: {measured}"
    assert measured["headerHeight"] <= 110, measured
    assert measured["scrollWidth"] <= width, measured
    assert all(offset > 0 for offset in measured["headingOffsets"]), measured


def test_the_status_page_says_what_was_done_to_each_location(live_server, page):
    notice = taken_down_in_part()
    page.goto(f"{live_server.url}{reverse('notices:status', args=[notice.status_token])}")
    rows = {
        row.locator("td").nth(0).inner_text(): row.locator("td").nth(1).inner_text()
        for row in page.locator("table.locations tbody tr").all()
    }
    assert rows["https://files.example-host.net/share/night-roads.zip"].startswith(
        "Material removed"
    )
    assert rows["198.51.100.23"] == "Not acted on"
    assert page.inner_text("#acted-on").startswith("We acted on 1 of the 2 locations")
    assert "We wrote to you" not in page.inner_text(".timeline")  # the worker has not sent it
