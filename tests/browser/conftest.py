import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import needs

# Playwright's sync API runs an event loop in this thread; the live server's ORM use
# from the same test is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright's own browser download cannot be had here."""
    needs("chromium", os.path.exists(CHROMIUM), "not installed (as root: apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def watch_console(page, errors: list[str] | None = None) -> list[str]:
    """Collect the errors a page writes to the browser console (into `errors`, if given)."""
    errors = [] if errors is None else errors
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


@pytest.fixture
def console_errors(page):
    """Errors the page writes to the browser console; a test asserts there are none."""
    return watch_console(page)


@pytest.fixture
def new_person(browser, console_errors):
    """Open a page in a browser context of its own (its own cookies): another person than
    the one at `page`. Their console errors go to the same `console_errors` list."""
    contexts = []

    def open_page():
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        watch_console(page, console_errors)
        return page

    yield open_page
    for context in contexts:
        context.close()


def fill_contact(page, phone: str = "718 555 0143") -> None:
    """The takedown form's part about the rights holder: who they are, how to reach them."""
    page.fill("#id_complainant_name", "Maria Okafor")
    page.check("#id_acting_as_1")
    page.fill("#id_street", "410 Harbor Avenue, Floor 3")
    page.fill("#id_city", "Brooklyn")
    page.select_option("#id_country", "US")
    page.fill("#id_phone", phone)
    page.fill("#id_email", "m.okafor@lanternrow.example")


def sign(page) -> None:
    """The takedown form's two statements and its signature."""
    page.check("#id_good_faith_statement")
    page.check("#id_accuracy_statement")
    page.fill("#id_signature_name", "Maria Okafor")


# Visible form fields with no label. Buttons (<input type=submit> too) are named by their text.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'reset', 'button'].includes(el.type))
  .filter(el => el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)"""


# axe-core from the npm registry, pinned in package-lock.json (`npm ci`, run by `make test`).
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_page(browser):
    """A page that may run axe: the site's Content-Security-Policy allows no inline or
    injected script, so this context (used only for the accessibility check) bypasses it."""
    needs(
        "node",
        AXE_SCRIPT.exists(),
        "axe-core is not installed: npm ci (Node.js and npm: apt-get install nodejs npm)",
    )
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now; its WCAG 2.0/2.1 A and AA violations."""
    page.add_script_tag(path=AXE_SCRIPT)
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})
                     .then(results => results.violations)""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    """What a developer needs to fix each violation: rule, impact, help and where."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)
