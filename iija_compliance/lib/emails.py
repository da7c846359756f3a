"""Letters as e-mail: each letter is a template triple under templates/emails/.

`<name>-subject.txt`, `<name>-body.txt` and, where a letter needs its own layout,
`<name>-body.html` are rendered together so the plain and HTML versions say the same.
"""

from collections.abc import Sequence
from email.utils import make_msgid
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def render(name: str, context: dict) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a letter. A letter without its own HTML template
    gets its plain text set in the letterhead, so both versions say the same."""
    context = {"agent": settings.DESIGNATED_AGENT, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    try:
        html = render_to_string(f"emails/{name}-body.html", context)
    except TemplateDoesNotExist:
        html = render_to_string("emails/_text.html", {**context, "text": text, "subject": subject})
    return subject, text, html


def new_message_id() -> str:
    # An explicit domain: the default looks up the machine's FQDN, which can stall.
    return make_msgid(domain=settings.DESIGNATED_AGENT["email"].rpartition("@")[2])


class File(NamedTuple):
    name: str
    content: bytes
    content_type: str


def send(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    attachments: Sequence[File] = (),
) -> None:
    message = EmailMultiAlternatives(subject, text, to=[to], headers={"Message-ID": message_id})
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    message.send()
