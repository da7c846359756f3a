"""Every http(s) URL in a text, and which of them are help or policy links, never the
material. The bottom of the reader: it imports no other part of it."""

import re
from urllib.parse import urlsplit

from django.conf import settings

# The marks a publisher leaves where it took something out: "[private]", "[redacted]",
# "[private: the sender's name]", "<personal information redacted>", "<redacted>".
REDACTION = (
    r"\[(?:private|redacted|invalid)(?::[^\]\n]{0,80})?\]|"
    r"<[^<>\n]{0,40}\b(?:redacted|hidden)>|<(?:private|redacted)>"
)
_CJK_STOP = (
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width punctuation
    "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a"  # curly quotes, guillemets
    "\u2026\u2014\u2013"  # ellipsis, dashes
)
URL_RE = re.compile(
    r"https?://(?:\\[!-/:-@^-`~]|[^\s<>\"'`\\\[\]|{}" + _CJK_STOP + r"])+",
    re.IGNORECASE,
)
_TRAIL = ".,;:!?*_~)"
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _clean_url(raw: str) -> str:
    url = _ESCAPE_RE.sub(r"\1", raw)
    while url and url[-1] in _TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def url_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) for each URL occurrence; URLs cut by a redaction are dropped."""
    spans = []
    for match in URL_RE.finditer(text):
        url = _clean_url(match.group())
        if re.match(REDACTION, text[match.end() : match.end() + 12], re.IGNORECASE):
            continue
        host = urlsplit(url).netloc if "://" in url else ""
        if not host or "." not in host and host.lower() != "localhost":
            continue
        spans.append((match.start(), match.start() + len(match.group()), url))
    return spans


def extract_urls(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for _, _, url in url_spans(text):
        seen.setdefault(url, None)
    return list(seen)


_HELP_HOSTS = (
    "lumendatabase.org",
    "chillingeffects.org",
    "docs.github.com",
    "help.github.com",
    "copyright.gov",
    "law.cornell.edu",
    "uscode.house.gov",
    "govinfo.gov",
    "legislation.gov.uk",
    "eur-lex.europa.eu",
    "support.google.com",
    "opensource.org",
    "creativecommons.org",
    "choosealicense.com",
    "gnu.org",
    "spdx.org",
)
_HELP_PATHS = re.compile(
    r"^(?:github\.com/(?:contact|site|github/(?:dmca|site-policy)|security|about|pricing)"
    r"|(?:www\.)?github\.com/?$|[^/]+/(?:[^/]+/)*(?:dmca[-_]?(?:policy|takedown|notice)?|"
    r"copyright[-_]?policy|terms(?:[-_]of[-_](?:service|use))?|tos|legal|privacy|abuse|"
    r"acceptable[-_]use[-_]policy|aup)(?:[./#?]|$))",
    re.IGNORECASE,
)


def provider_domains() -> tuple[str, ...]:
    """The provider's own domains (settings.PROVIDER_DOMAINS, and the Designated Agent's
    e-mail domain): links to them are its pages, addresses at them its own."""
    agent = settings.DESIGNATED_AGENT.get("email", "").rpartition("@")[2].lower()
    return tuple(d.lower() for d in settings.PROVIDER_DOMAINS) + ((agent,) if agent else ())


def on_domain(host: str, domains) -> bool:
    host = host.lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def is_help_link(url: str, provider: tuple[str, ...] | None = None) -> bool:
    parts = urlsplit(url)
    host = parts.netloc.lower().split("@")[-1].split(":")[0]
    if host.startswith("www."):
        host = host[4:]
    if on_domain(host, _HELP_HOSTS) or on_domain(host, provider or provider_domains()):
        return True
    return bool(_HELP_PATHS.match(host + parts.path))


# The marks a sender's redaction leaves; a URL cut by one is no URL.
REDACTED = re.compile(REDACTION, re.IGNORECASE)
