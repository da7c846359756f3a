"""Letters as e-mail: each letter is a template triple under templates/emails/.

`<name>-subject.txt`, `<name>-body.txt` and `<name>-body.html` are rendered together so
the plain and HTML versions always say the same thing.
"""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render(name: str, context: dict) -> tuple[str, str, str]:
    context = {"agent": settings.DESIGNATED_AGENT, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return " ".join(subject.split()), text, html


def new_message_id() -> str:
    # An explicit domain: the default looks up the machine's FQDN, which can stall.
    return make_msgid(domain=settings.DESIGNATED_AGENT["email"].rpartition("@")[2])


def send(*, to: str, subject: str, text: str, html: str, message_id: str) -> None:
    message = EmailMultiAlternatives(subject, text, to=[to], headers={"Message-ID": message_id})
    message.attach_alternative(html, "text/html")
    message.send()
