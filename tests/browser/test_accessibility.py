"""Every public page passes axe-core's WCAG 2.0/2.1 A and AA rules in Debian's Chromium.

Each page is checked as a visitor finds it, and the forms also after a failed submission,
when error messages and the error summary are on the page.
"""

import os
import re

import pytest
from django.test import Client
from django.urls import reverse

from notices.core.cases import notice_accept, notice_disable_material, notice_mark_deficient
from notices.core.intake import notice_submit
from notices.models import Channel
from tests.browser.conftest import axe_violations, describe_violations
from tests.browser.test_agent_desk import designated_agent  # noqa: F401
from tests.factories import counter_notice, notified_case, submission, subscriber, web_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def counter_noticed():
    """A case whose subscriber has sent a counter notice: (notice, notification)."""
    notice, notification = notified_case()
    item = notice.items.get(subscriber=notification.subscriber)
    counter_notice(notice, notification, item)
    return notice, notification


def taken_down_in_part():
    """A case whose agent removed one location and left the other: the notice."""
    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = web_notice()
    notice_accept(notice_id=notice.id, actor="agent")
    actions = {
        item.id: "removed" if item.subscriber == harbor else "not_actioned"
        for item in notice.items.all()
    }
    notice_disable_material(notice_id=notice.id, actions=actions, actor="agent")
    return notice


def deficient():
    """A notice logged from e-mail without the good-faith statement, sent back for it."""
    notice = notice_submit(
        submission=submission(good_faith_statement=False), channel=Channel.EMAIL, actor="agent"
    )
    return notice_mark_deficient(notice_id=notice.id, actor="agent")


def with_figures():
    """The transparency report with a month of figures and its charts, network notices
    too."""
    from tests.browser.test_network_pages import network_notices

    counter_noticed()
    network_notices()
    return reverse("transparency")


def hosted_request() -> str:
    """A removal request to a hosting customer: the path of its answer page."""
    from notices.models import HostedRemoval
    from tests.factories import assignment
    from tests.notices.hosted.conftest import report

    cloud = subscriber("C-7", "Blue Lantern Apps LLC")
    assignment(cloud, "203.0.113.0/24", "2025-01-01T00:00:00Z", service="hosting")
    report(("203.0.113.7", 6881, "2026-03-02T10:15:30+00:00"))
    return reverse("hosted_removal_answer", args=[HostedRemoval.objects.get().token])


def overdue_hosted_request() -> int:
    """A removal request whose day passed unanswered: the agent decides; its id."""
    from notices.core.hosted import hosted_removals_sweep
    from notices.models import HostedRemoval

    hosted_request()
    removal = HostedRemoval.objects.get()
    hosted_removals_sweep(now=removal.deadline_at)
    return removal.id


def dispute_empty(page):
    """Open the counter notice on the removal request's page and send it empty."""
    page.click("text=I dispute the claim")
    submit("Send the counter notice")(page)


def submit(button):
    """After the page loads, send the form empty so that its errors are shown."""

    def action(page):
        page.click(f"text={button}")
        page.wait_for_selector(".alert-danger, .invalid-feedback, #errors")

    return action


# name: (set-up returning the path, what to do on the page before the check)
PAGES = {
    "home": (lambda: "/", None),
    "notice form": (lambda: reverse("notices:new"), None),
    "notice form with errors": (
        lambda: reverse("notices:new"),
        submit("Send the notice"),
    ),
    "receipt": (lambda: reverse("notices:receipt", args=[web_notice().status_token]), None),
    "status, counter notice received": (
        lambda: reverse("notices:status", args=[counter_noticed()[0].status_token]),
        None,
    ),
    "status, material acted on in part": (
        lambda: reverse("notices:status", args=[taken_down_in_part().status_token]),
        None,
    ),
    "status, deficient": (
        lambda: reverse("notices:status", args=[deficient().status_token]),
        None,
    ),
    "corrected notice form": (
        lambda: reverse("notices:revise", args=[deficient().status_token]),
        None,
    ),
    "withdraw": (lambda: reverse("notices:withdraw", args=[web_notice().status_token]), None),
    "counter-notice form": (
        lambda: reverse("counter_notice_new", args=[notified_case()[1].token]),
        None,
    ),
    "counter-notice form with errors": (
        lambda: reverse("counter_notice_new", args=[notified_case()[1].token]),
        submit("Send the counter notice"),
    ),
    "counter notice sent": (
        lambda: reverse("counter_notice_new", args=[counter_noticed()[1].token]),
        None,
    ),
    "hosted removal request": (hosted_request, None),
    "hosted removal request, counter notice with errors": (hosted_request, dispute_empty),
    "court-action form": (
        lambda: reverse("court_action_new", args=[counter_noticed()[0].status_token]),
        None,
    ),
    "court-action form with errors": (
        lambda: reverse("court_action_new", args=[counter_noticed()[0].status_token]),
        submit("Report the court action"),
    ),
    "copyright policy": (lambda: reverse("copyright"), None),
    "privacy policy": (lambda: reverse("privacy"), None),
    "transparency report": (with_figures, None),
    "page not found": (lambda: "/notices/status/no-such-case/", None),
}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_has_no_wcag_a_or_aa_violations(live_server, axe_page, name):
    setup, action = PAGES[name]
    path = setup()
    response = axe_page.goto(f"{live_server.url}{path}")
    assert response.status == (404 if name == "page not found" else 200)
    if action:
        action(axe_page)
    if os.environ.get("AXE_SCREENSHOTS"):  # a folder: see what was checked
        name_part = re.sub(r"\W+", "-", name)
        axe_page.screenshot(path=f"{os.environ['AXE_SCREENSHOTS']}/{name_part}.png", full_page=True)
    violations = axe_violations(axe_page)
    if violations:
        pytest.fail(
            f"axe found {len(violations)} WCAG A/AA violation(s) on {name} ({path}):\n"
            + describe_violations(violations),
            pytrace=False,
        )


# The desk's pages, as the Designated Agent sees them, at a desktop's and a phone's width.
DESK_PAGES = {
    "case list": lambda case: reverse("admin:notices_notice_changelist"),
    "case page": lambda case: reverse("admin:notices_notice_change", args=[case.id]),
    "queue": lambda case: reverse("admin:notices_notice_changelist") + "?queue=all",
    "front page": lambda case: reverse("admin:index"),
    "hosted removal decision": lambda case: reverse(
        "admin:notices_hostedremoval_decide", args=[overdue_hosted_request()]
    ),
}
WIDTHS = {"desktop": 1280, "phone": 390}


def signed_in(page, base_url: str, user) -> None:
    """The user's session in this browser context, made by Django's own login."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", DESK_PAGES)
def test_the_desk_page_has_no_wcag_a_or_aa_violations(
    live_server,
    axe_page,
    designated_agent,  # noqa: F811
    name,
    width,
):
    case, _ = counter_noticed()
    signed_in(axe_page, live_server.url, designated_agent)
    axe_page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    path = DESK_PAGES[name](case)
    response = axe_page.goto(f"{live_server.url}{path}")
    assert response.status == 200 and "/login/" not in axe_page.url
    if os.environ.get("AXE_SCREENSHOTS"):
        name_part = re.sub(r"\W+", "-", f"desk {name} {width}")
        axe_page.screenshot(path=f"{os.environ['AXE_SCREENSHOTS']}/{name_part}.png", full_page=True)
    violations = axe_violations(axe_page)
    if violations:
        pytest.fail(
            f"axe found {len(violations)} WCAG A/AA violation(s) on the desk's {name} at "
            f"{WIDTHS[width]} px ({path}):\n" + describe_violations(violations),
            pytrace=False,
        )
