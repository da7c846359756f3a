"""Every http(s) URL in a text, and which of them are help or policy links, never the
material. The bottom of the reader: it imports no other part of it."""

import re
from urllib.parse import urlsplit

# The provider's own domains: links to them are policy pages, addresses to them are ours.
PROVIDER_DOMAINS = ("iij-america.com", "iij.ad.jp", "iij.net", "iijglobal.com")

REDACTION = r"\[(?:private|redacted|invalid)\]"
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
) + PROVIDER_DOMAINS
_HELP_PATHS = re.compile(
    r"^(?:github\.com/(?:contact|site|github/(?:dmca|site-policy)|security|about|pricing)"
    r"|(?:www\.)?github\.com/?$|[^/]+/(?:[^/]+/)*(?:dmca[-_]?(?:policy|takedown|notice)?|"
    r"copyright[-_]?policy|terms(?:[-_]of[-_](?:service|use))?|tos|legal|privacy|abuse|"
    r"acceptable[-_]use[-_]policy|aup)(?:[./#?]|$))",
    re.IGNORECASE,
)


def is_help_link(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.netloc.lower().split("@")[-1].split(":")[0]
    if host.startswith("www."):
        host = host[4:]
    if any(host == h or host.endswith("." + h) for h in _HELP_HOSTS):
        return True
    return bool(_HELP_PATHS.match(host + parts.path))


# The marks a sender's redaction leaves; a URL cut by one is no URL.
REDACTED = re.compile(REDACTION, re.IGNORECASE)
