"""Read a message that reached the Designated Agent: what it is and what it contains.

Pure: no models, no database, no network. ``read_text`` takes plain text or Markdown,
``read_message`` an ``email.message.EmailMessage``. The reading says whether the message
is a takedown (§ 512(c)(3)(A)), a counter notice (§ 512(g)(3)), a retraction or something
else, which statutory elements it carries (with the sentence that carries each), every
http(s) URL in the sender's own text and which of them are the material to remove.

The detectors look at meaning-bearing words in one sentence at a time ("good faith" with
"not authorized", "perjury", "mistake or misidentification"), never at one sender's form
wording, and the labels the sender puts on URLs ("original", "infringing", "copies",
"hosted on your network") decide which URLs are the work and which the material.
"""

from __future__ import annotations

import bisect
import email
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from urllib.parse import urlsplit

from lxml import etree

TAKEDOWN_ELEMENTS = (
    "signature",
    "copyrighted_work",
    "infringing_material",
    "contact_information",
    "good_faith_statement",
    "accuracy_statement",
)
COUNTER_ELEMENTS = (
    "signature",
    "material_identification",
    "mistake_statement",
    "consent_to_jurisdiction",
)

# The provider's own domains: links to them are policy pages, addresses to them are ours.
PROVIDER_DOMAINS = ("iij-america.com", "iij.ad.jp", "iij.net", "iijglobal.com")

EVIDENCE_LIMIT = 300
# What one message may cost to read. Every step below is linear in the text's length, and
# the text is cut here; what was left out is said in the reading (the original is kept).
READ_MAX_CHARS = 500_000  # twice the longest notice in the corpus of published ones
MAX_HEADER_CHARS = 8_000
MAX_LOCATIONS = 10_000  # as many as the API takes in one notice


@dataclass
class Finding:
    present: bool
    evidence: str = ""


@dataclass
class Reading:
    kind: str
    elements: dict[str, Finding]
    urls: list[str]
    infringing: list[str]
    works: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    contact: dict[str, str] = field(default_factory=dict)
    # What the reader left unread or had to guess at, in words for the agent.
    not_read: list[str] = field(default_factory=list)
    # Every sentence each detector relied on, untrimmed (for audits and ablation tests).
    sources: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "elements": {
                key: {"present": finding.present, "evidence": finding.evidence}
                for key, finding in self.elements.items()
            },
            "urls": list(self.urls),
            "infringing": list(self.infringing),
            "contact": dict(self.contact),
            "not_read": list(self.not_read),
        }


# ---------------------------------------------------------------------------------------
# URLs

_REDACTION = r"\[(?:private|redacted|invalid)\]"
_CJK_STOP = (
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width punctuation
    "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a"  # curly quotes, guillemets
    "\u2026\u2014\u2013"  # ellipsis, dashes
)
_URL_RE = re.compile(
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


def _url_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) for each URL occurrence; URLs cut by a redaction are dropped."""
    spans = []
    for match in _URL_RE.finditer(text):
        url = _clean_url(match.group())
        if re.match(_REDACTION, text[match.end() : match.end() + 12], re.IGNORECASE):
            continue
        host = urlsplit(url).netloc if "://" in url else ""
        if not host or "." not in host and host.lower() != "localhost":
            continue
        spans.append((match.start(), match.start() + len(match.group()), url))
    return spans


def extract_urls(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for _, _, url in _url_spans(text):
        seen.setdefault(url, None)
    return list(seen)


# ---------------------------------------------------------------------------------------
# Help and template links: never the material.

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


# ---------------------------------------------------------------------------------------
# Lines, headings, sentences

_PLACEHOLDER_URL = "\x00"


@dataclass
class _Sentence:
    text: str
    start: int
    end: int
    line: int


def _strip_markup(line: str) -> str:
    line = re.sub(r"^\s{0,3}(?:#{1,6}\s*|>\s*)", "", line)
    line = re.sub(r"^\s*(?:[-*+•·]|\d{1,3}[.)、]|\(\w\))\s+", "", line)
    line = line.replace("**", "").replace("__", "")
    return line.strip()


def _sentences(text: str) -> list[_Sentence]:
    """Split into sentences: paragraphs (blank lines, list items, labels) joined across
    hard wraps, then split at sentence ends."""
    out: list[_Sentence] = []
    lines = text.split("\n")
    offset = 0
    block: list[tuple[int, str, int]] = []

    def flush():
        if not block:
            return
        start = block[0][0]
        end = block[-1][0] + len(block[-1][1])
        chunk = text[start:end]
        pieces = re.split(r"(?<=[.!?。！？])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9])", chunk)
        pos = start
        for piece in pieces:
            idx = text.find(piece, pos)
            if idx < 0:
                idx = pos
            if piece.strip():
                out.append(_Sentence(piece.strip(), idx, idx + len(piece), block[0][2]))
            pos = idx + len(piece)
        block.clear()

    for number, line in enumerate(lines):
        stripped = line.strip()
        starts_item = bool(
            re.match(r"^\s*(?:[-*+•·]\s|\d{1,3}[.)、]\s?|#|\*\*|>|\|)", line)
            or re.match(r"^[A-Za-z][\w /'-]{0,30}:\s", stripped)
        )
        if not stripped:
            flush()
        else:
            if starts_item:
                flush()
            block.append((offset, line, number))
            # a label or heading ends its own unit; a hard break ends a line item
            if stripped.endswith((":", "**")) or (starts_item and line.endswith("  ")):
                flush()
        offset += len(line) + 1
    flush()
    return out


def _trim(evidence: str) -> str:
    evidence = re.sub(r"\s+", " ", evidence).strip()
    if len(evidence) > EVIDENCE_LIMIT:
        evidence = evidence[: EVIDENCE_LIMIT - 1].rstrip() + "…"
    return evidence


# ---------------------------------------------------------------------------------------
# Vocabulary

_REDACTED = re.compile(_REDACTION, re.IGNORECASE)
_MISTAKE = re.compile(r"\bmistake|misidentif|mis-identif", re.IGNORECASE)
_GOOD_FAITH = re.compile(r"good[- ]?faith|bona fide|\bsincerely believe", re.IGNORECASE)
_NOT_AUTHORIZED = re.compile(
    r"not (?:been )?(?:authori[sz]ed|licen[sc]ed|permitted|approved|allowed)|unauthori[sz]ed|"
    r"without (?:\w+ )?(?:authori[sz]ation|permission|consent|licen[sc]e|approval|right)|"
    r"infring|not (?:a )?fair use|no (?:permission|licen[sc]e|authori[sz]ation)|"
    r"(?:by|under) the law|rights? (?:\w+ ){0,3}(?:is|are|being) (?:violated|infringed)",
    re.IGNORECASE,
)
_STATUTORY_GF = re.compile(
    r"not authori[sz]ed by the copyright (?:owner|holder)|its agent,? or the law",
    re.IGNORECASE,
)
_PERJURY = re.compile(r"perjury|sworn statement|swear|under oath|affirm under", re.IGNORECASE)
_ACCURATE = re.compile(
    r"\baccurate|true and correct|true,? correct|truthful|is (?:both )?true|correct and complete",
    re.IGNORECASE,
)
_AUTHORITY = re.compile(
    r"authori[sz]ed to act|authority to act|on behalf of|copyright (?:owner|holder)|"
    r"exclusive right|(?:am|are) the (?:owner|rights? ?holder|author)|agent of|"
    r"owner of the (?:copyright|rights?)",
    re.IGNORECASE,
)
_COUNTER_TERMS = re.compile(
    r"counter[- ]?(?:n+otice|notification|claim)|mistake or misidentification|"
    r"misidentification of the material|"
    r"consent to (?:the )?(?:jurisdiction|venue)|accept service of process",
    re.IGNORECASE,
)
_RETRACT = re.compile(
    r"\b(?:hereby |would like to |wish to |want to |we |i )(?:retract|withdraw|rescind|revoke)\b|"
    r"\b(?:retract(?:ing|ion of)?|withdraw(?:ing|al of)?|rescind(?:ing)?|revok(?:e|ing))\s+"
    r"(?:\w+\s+){0,4}(?:notice|takedown|take-down|claim|complaint|request|notification)|"
    r"no longer (?:request|seek|wish|want|require|pursue)|"
    r"(?:please )?(?:re-?instate|restore|re-?enable) (?:\w+\s+){0,4}"
    r"(?:repositor|content|material|site|page|file|access)",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"copyright|\bdmca\b|512\s*\(c\)|infring|pira(?:cy|ted)", re.IGNORECASE)
_TRADEMARK = re.compile(r"trade ?marks?|lanham|counterfeit|\bbrand\b", re.IGNORECASE)
_NOTICE_WORDS = re.compile(
    r"takedown|take down|remove|removal|disable|infring|unauthori[sz]ed|pirat", re.IGNORECASE
)
_POLICY_PAGE = re.compile(
    r"if you believe (?:that )?(?:your|a) (?:\w+ ){0,3}(?:work|content|material|copyright)|"
    r"(?:your|the|a) (?:notice|notification) must (?:include|contain)|"
    r"(?:send|submit|file) (?:a|your) (?:written )?(?:dmca |takedown |copyright )?"
    r"(?:notice|notification|complaint) to (?:our|the) (?:designated )?agent|"
    r"our designated agent (?:is|for notice)|to file a (?:dmca |copyright )?"
    r"(?:notice|notification|counter)|how to (?:send|write|file|submit)|"
    r"(?:this|our) (?:guide|article|policy) (?:explains|describes)|step \d+[:.]|"
    r"repeat infringer policy|we (?:will|may) (?:respond|terminate) (?:to )?"
    r"(?:notices|the accounts)",
    re.IGNORECASE,
)
_AUTOREPLY = re.compile(
    r"out of (?:the )?office|auto(?:matic|mated)?[- ]?(?:reply|response)|"
    r"thank you for (?:your|contacting)|we have received your (?:message|e-?mail|request)|"
    r"(?:will|shall) (?:respond|reply|get back to you|be in touch)|"
    r"(?:currently )?away from (?:my|the) (?:desk|office)|limited access to (?:my )?e-?mail|"
    r"ticket (?:number|#|id)|do not reply to this",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"\[(?:your |full |insert |enter )?(?:name|signature|address|e-?mail|phone|telephone|url|"
    r"date|company|title|work|description|urls?|link)[^\]]{0,30}\]|"
    r"<(?:insert|enter|your|describe|list|add) [^>]{1,60}>|\{\{[^}]{1,40}\}\}|"
    r"\[(?:insert|enter|describe|list|add) [^\]]{1,60}\]|_{6,}|\bx{3,}@|"
    r"\b(?:YOUR|FULL) (?:NAME|ADDRESS)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(?:(?:yours )?sincerely|(?:very )?(?:truly|faithfully|respectfully) yours|"
    r"yours (?:truly|faithfully|sincerely)|respectfully(?: submitted)?|(?:best |kind |warm )?"
    r"regards|best(?: wishes)?|thanks?(?: you)?(?: (?:very much|in advance))?|cheers|"
    r"signed|signature|electronic signature|e-signature|/s/|s/)\b[\s,.:!-]*",
    re.IGNORECASE,
)
_SIGNED_LINE = re.compile(
    r"(?:^|\s)/s/\s*\S|^\s*(?:signed|signature|electronic signature|e-signature|"
    r"digitally signed|sign(?:ed)? by)\s*(?:by)?\s*[:\-]\s*\S|"
    r"type your (?:full )?(?:legal )?name (?:below )?to sign",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PHONE = re.compile(
    r"(?:\+|\b00)\d[\d\s().-]{7,18}\d\b|\(\d{2,4}\)\s?\d{3,4}[\s.-]?\d{3,4}\b|"
    r"\b\d{3}[.-]\d{3}[.-]\d{4}\b|\b0\d{1,4}[-\s]\d{2,4}[-\s]\d{3,4}\b"
)
_PHONE_LABEL = re.compile(
    r"^\s*[TFPM]\s*[:.]?\s(?=\s*[+(\d\[])|\b(?:phone|tel|telephone|mobile|cell|fax|call)\b\.?(?:\s*(?:no|number|#)\.?)?\s*[:\-]?",
    re.IGNORECASE,
)
_CONTACT_LABEL = re.compile(
    r"\b(?:e-?mail|phone|tel|telephone|mobile|cell|fax|address|contact(?: information| details)?"
    r"|reach (?:me|us)|get back to (?:me|you|us)|mailing|postal|street|p\.?\s?o\.? box)\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?,? (?:[A-Z0-9][\w.'-]*,? ){0,5}(?:street|st|avenue|ave|road|rd|"
    r"boulevard|blvd|lane|ln|drive|dr|way|place|pl|suite|ste|floor|fl|court|ct|parkway|pkwy|"
    r"highway|hwy|square|sq|strasse|straße|allee|weg)\b\.?|"
    r"\b(?:suite|floor|p\.?\s?o\.? box)\s+\w+|"
    r"\b[A-Z][a-z]+,? (?:[A-Z]{2}|[A-Z][a-z]+) \d{5}(?:-\d{4})?\b|"
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b",
)
_ADDRESS_LABEL = re.compile(r"\b(?:address|located at|mailing|postal)\b\s*:?", re.IGNORECASE)
_INFRINGER = re.compile(
    r"infringer|alleged|uploader|the user|the (?:subscriber|customer)|their |his |her |"
    r"the owner of the (?:site|website|repository|account)|operator",
    re.IGNORECASE,
)
_WORK = re.compile(
    r"\b(?:original|copyrighted|proprietary|our|my|the client's|our client's|(?:is|are) an?|"
    r"its|their|company's|company’s|[A-Z][\w&.-]*(?:'s|’s|s'))\s+"
    r"(?:\w+\s+){0,3}(?:work|works|code|source|software|program|application|app|film|films|"
    r"movie|movies|series|episode|photo|photos|photograph|photographs|image|images|picture|"
    r"pictures|book|books|novel|e-?book|song|songs|music|album|recording|track|game|games|"
    r"video|videos|artwork|illustration|content|product|library|font|design|theme|plugin|"
    r"script|scripts|files|data|assets|information|materials|magazine|issues|website|"
    r"module|template|course|documentation|manual|article|text|broadcast|show|title|titles)\b|"
    r"(?:we|i|our client|the company|[A-Z][\w&.]+) (?:own|owns|hold|holds) (?:all |the )?"
    r"(?:exclusive )?(?:copyright|rights?)|copyright (?:owner|holder) of|"
    r"(?:titled|entitled|called|named)\s+[\"“'‘*_A-Z]|©|\(c\)\s*\d{4}|"
    r"description of the (?:original )?(?:copyrighted )?work|copyrighted work|"
    r"\bworks? (?:in question|are|is|claimed|infringed)\b|\bproprietary\b|"
    r"\b(?:belongs?|belonging) to\b|\bproperty of\b|owned by|"
    r"(?:infringe[sd]?|infringing|violat\w*) (?:on |upon )?(?:my|our|the) (?:\w+ )?copyright",
    re.IGNORECASE,
)
_WORK_EXCLUDE = re.compile(
    r"described above|identified above|listed above|good[- ]?faith|perjury", re.IGNORECASE
)
_MATERIAL = re.compile(
    r"(?:removed|disabled|taken down|deleted|blocked|disabling|removal)\b", re.IGNORECASE
)
_JURISDICTION = re.compile(
    r"(?:consent|submit|agree)\w* (?:\w+ ){0,4}(?:jurisdiction|venue)|"
    r"jurisdiction of (?:the )?(?:federal|united states|u\.s\.)|accept service of process|"
    r"service of process",
    re.IGNORECASE,
)

# Labels the sender puts on URLs or on the heading above them.
_ORIGINAL = re.compile(
    r"\boriginals?\b|\bofficial\b|\blegitimate\b|\bgenuine\b|\bauthentic\b|"
    r"\b(?:our|my|the client'?s?|client's|their) (?:own )?(?:\w+ ){0,2}(?:work|works|site|"
    r"website|web site|page|store|product|listing|channel|repository|repo|code|project|"
    r"software|content|photos?|images?|film|book|portfolio|domain)\b|"
    r"copyrighted (?:work|material|content|code|software|image|photo)s?\b(?! (?:is|are|was|were|"
    r"has|have) (?:being )?(?:copied|hosted|infring|reproduced))|"
    r"work (?:is|was|can be) (?:located|found|available|published)|"
    r"(?:located|available|published|found|hosted) (?:\w+ ){0,2}(?:on|at) (?:our|my)|"
    r"source of the work|"
    r"legally (?:available|purchased)|licensed version|authori[sz]ed (?:version|copy|source)|"
    r"(?:purchase|buy|sold)\b|owned by|proof of ownership|we own|i own|created by (?:us|me)",
    re.IGNORECASE,
)
_INFRINGING_STRONG = re.compile(
    r"infringing|to be (?:removed|disabled|taken down|deleted)|(?:should|must|need to) be "
    r"(?:removed|disabled|taken down|deleted)|please (?:remove|disable|take down|delete)|"
    r"\b(?:remove|disable|take down|delete) (?:the )?(?:following|these|this|below)|"
    r"taken down|take ?down|offending|\bthe cop(?:y|ies)\b|"
    r"\bcop(?:y|ies) (?:is|are|can)\b|unauthori[sz]ed|unlicen[sc]ed|pirat|illegal|illicit|"
    r"stolen|counterfeit|(?:are|is) (?:being )?(?:infring|copied|hosted|reproduced|"
    r"distributed|shared|made available)|copies|copy of|copied|hosted on your|"
    r"on your (?:network|servers?|service|platform|system)|forks?\b|violat|"
    r"\b(?:these|the following) (?:\w+ ){0,2}(?:urls?|links?|locations?|ip addresses|ips?|"
    r"hosts?|servers?|domains?|sites?)\b|"
    r"(?:which|that) (?:infringe|copy|reproduce|contain)|"
    r"\b(?:urls?|links?|locations?|files?|pages?|sites?|addresses|ips?) (?:\w+ ){0,3}"
    r"(?:below|following)|following (?:\w+ ){0,2}(?:urls?|links?|locations?|files?|pages?|"
    r"sites?|ip|addresses|repositor)",
    re.IGNORECASE,
)
_INFRINGING_WEAK = re.compile(
    r"infring|remove|removal|disable|repositor|\burls?\b|\blinks?\b|location|material|"
    r"hosted|uploaded|posted|reposted|mirror|download|stream",
    re.IGNORECASE,
)
_HELP_CONTEXT = re.compile(
    r"\b(?:policy|policies|guide|guidelines|terms of (?:service|use)|faq|help (?:page|center)|"
    r"instructions|lumen|as described (?:at|in)|pursuant to|read (?:and understood )?(?:your|the)"
    r"|learn more|more information|submitted (?:via|through))\b",
    re.IGNORECASE,
)
_IP = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)"
    r"(?::\d{1,5})?(?![\w.])"
)
_BARE_HOST = re.compile(
    r"^(?:[-*+•·]|\d{1,3}[.)])?\s*((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:[a-z]{2,24}))(/\S*)?\s*$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"\bDMCA-\d{4}-\d{4,8}\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------
# Headings and URL labels


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if re.match(r"^\s{0,3}#{1,6}\s", line):
        return True
    plain = _URL_RE.sub("", stripped).strip()
    if stripped.startswith("**") and stripped.rstrip(" :").endswith("**"):
        return True
    if _URL_RE.search(stripped):
        return False
    if plain.endswith(":") and len(plain) < 300:
        return True
    return bool(plain.endswith("?") and len(plain) < 400)


def _label(text: str) -> str:
    """'original', 'infringing' or '' for a heading, label or sentence."""
    text = _URL_RE.sub(" ", text)
    strong = _INFRINGING_STRONG.search(text)
    original = _ORIGINAL.search(text)
    if strong and original:
        # "the original work that has allegedly been infringed": the nearest, first, wins;
        # "infringing copies of our work": infringing.
        return "original" if original.start() < strong.start() else "infringing"
    if strong:
        return "infringing"
    if original:
        return "original"
    if _INFRINGING_WEAK.search(text):
        return "weak"
    return ""


def _classify_urls(text: str, spans: list[tuple[int, int, str]], lines: _Lines) -> dict[str, str]:
    """For each URL: 'infringing', 'original', 'help' or 'other'. One pass over the spans
    in order, each looking only at its own line and the two before it."""
    heading_at: list[str | None] = []  # section label in force at each line
    current: str | None = None
    for number, line in enumerate(lines.lines):
        if lines.is_heading(number):
            plain = _URL_RE.sub("", line).strip(" *#:-")
            if plain:
                current = _label(line) or "neutral"
        heading_at.append(current)
    infringer_line: dict[int, bool] = {}
    sender_hosts = set()
    for match in _EMAIL.finditer(text):
        number = lines.number(match.start())
        if number not in infringer_line:
            infringer_line[number] = bool(_INFRINGER.search(lines.lines[number]))
        if not infringer_line[number]:
            sender_hosts.add(_host_root(match.group().split("@")[1]))
    result: dict[str, str] = {}
    for index, (start, _end, url) in enumerate(spans):
        number = lines.number(start)
        verdict = _url_verdict(text, spans, index, number, heading_at, lines, sender_hosts)
        previous = result.get(url)
        if previous in ("infringing", "help"):
            continue
        if previous == "original" and verdict != "infringing":
            continue
        result[url] = verdict
    return result


class _Lines:
    """The text's lines, where each starts, and what is asked of a line more than once."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.starts = []
        position = 0
        for line in self.lines:
            self.starts.append(position)
            position += len(line) + 1
        self.blank = [not line.strip() for line in self.lines]
        self._headings: dict[int, bool] = {}
        self._with_url: dict[int, bool] = {}

    def number(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index) - 1

    def at(self, index: int) -> str:
        return self.lines[self.number(index)]

    def is_heading(self, number: int) -> bool:
        if number not in self._headings:
            self._headings[number] = _is_heading(self.lines[number])
        return self._headings[number]

    def has_url(self, number: int) -> bool:
        if number not in self._with_url:
            self._with_url[number] = bool(_URL_RE.search(self.lines[number]))
        return self._with_url[number]


def _host_root(host: str) -> str:
    host = host.lower().split(":")[0]
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


# Of a line above a URL, only its end can be the sentence that introduces the URL.
_LEAD_CHARS = 1000


def _url_verdict(text, spans, index, number, heading_at, lines: _Lines, hosts):
    start, end, url = spans[index]
    if is_help_link(url):
        return "help"
    line, line_start = lines.lines[number], lines.starts[number]
    # The words on the same line around this URL, not crossing the URLs beside it.
    before_limit = line_start
    if index and spans[index - 1][0] >= line_start:
        before_limit = spans[index - 1][1]
    before = text[before_limit:start]
    # a markdown link's text belongs to its URL
    before = re.sub(r"\]\($", "]", before)
    after_end = line_start + len(line)
    if index + 1 < len(spans):
        after_end = min(after_end, spans[index + 1][0])
    after = text[end:after_end]
    if _HELP_CONTEXT.search(before) and not _INFRINGING_STRONG.search(before):
        return "help"
    inline = _label(before)
    if inline in ("original", "infringing"):
        return inline
    after_label = _label(after)
    if after_label in ("original", "infringing") and len(after.strip()) > 2:
        return after_label
    # The sentence (hard-wrapped prose) ending just before the URL: up to two lines back.
    lead = before
    back = number - 1
    while back >= 0 and number - back <= 2 and not lines.blank[back] and not lines.is_heading(back):
        if lines.has_url(back):
            break
        lead = lines.lines[back][-_LEAD_CHARS:] + " " + lead
        back -= 1
    lead_label = _label(lead)
    if lead_label in ("original", "infringing"):
        if _HELP_CONTEXT.search(lead) and lead_label != "infringing":
            return "help"
        return lead_label
    section = heading_at[number]
    if lines.is_heading(number):
        # the URL sits on the heading line itself; the heading before it rules
        section = heading_at[number - 1] if number else None
    if section in ("original", "infringing"):
        return section
    if _host_root(urlsplit(url).netloc) in hosts:
        return "original"
    if section == "neutral":
        return "other"
    return "infringing"


# ---------------------------------------------------------------------------------------
# Elements


def _find(sentences: list[_Sentence], test) -> list[_Sentence]:
    return [s for s in sentences if test(s.text)]


def _good_faith(s: str) -> bool:
    if _MISTAKE.search(s):
        return False
    if _GOOD_FAITH.search(s) and _NOT_AUTHORIZED.search(s):
        return True
    return bool(_STATUTORY_GF.search(s))


def _accuracy(s: str) -> bool:
    if _MISTAKE.search(s):
        return False
    if _PERJURY.search(s):
        return True
    return bool(_ACCURATE.search(s) and _AUTHORITY.search(s))


def _mistake(s: str) -> bool:
    return bool(_MISTAKE.search(s) and (_MATERIAL.search(s) or _GOOD_FAITH.search(s)))


def _jurisdiction(s: str) -> bool:
    return bool(_JURISDICTION.search(s))


def _work(s: str) -> bool:
    if _WORK_EXCLUDE.search(s) or _MISTAKE.search(s):
        return False
    return bool(_WORK.search(s))


def _signature(text: str, lines: list[str]) -> list[str]:
    """Lines that sign the message: '/s/ Name', 'Signed: Name', a sign-off followed by a
    name, or a name line closing the message."""
    found: list[tuple[int, int]] = []  # first and last line of each
    for number, line in enumerate(lines):
        stripped = _strip_markup(line)
        if not stripped:
            continue
        if _SIGNED_LINE.search(stripped):
            rest = [stripped]
            if re.search(r"to sign|signature\s*:?\s*$|signed\s*:?\s*$", stripped, re.IGNORECASE):
                following = _next_nonblank(lines, number)
                if following is None:
                    continue
                rest.append(lines[following].strip())
            found.append((number, number if len(rest) == 1 else following))
            continue
        if stripped.rstrip(" ,.:").lower() in ("truthfully", "declaration", "respectfully"):
            continue
        sign_off = _SIGN_OFF.match(stripped)
        if sign_off and len(stripped) < 60:
            remainder = stripped[sign_off.end() :].strip()
            if remainder and _looks_like_name(remainder):
                found.append((number, number))
                continue
            following = _next_nonblank(lines, number)
            if (
                following is not None
                and following - number <= 3
                and _looks_like_name(_strip_markup(lines[following]))
            ):
                block = [number]
                while following is not None and len(block) < 4:
                    candidate = _strip_markup(lines[following])
                    if not _looks_like_name(candidate) or _CONTACT_LABEL.search(candidate):
                        break
                    block.append(following)
                    following = _next_nonblank(lines, following)
                found.append((block[0], block[-1]))
    # A typed name closing the message: the last line, a name or a redacted name.
    tail = [n for n, line in enumerate(lines) if line.strip()]
    if tail:
        last = tail[-1]
        block_start = last
        while block_start > 0 and lines[block_start - 1].strip() and last - block_start < 5:
            block_start -= 1
        first = _strip_markup(lines[block_start])
        if block_start != last and _looks_like_name(first) and not _CONTACT_LABEL.search(first):
            last = block_start
            tail = tail[: tail.index(block_start) + 1]
        candidate = _strip_markup(lines[last])
        before = _strip_markup(lines[tail[-2]]) if len(tail) > 1 else ""
        redacted_only = bool(_REDACTED.fullmatch(candidate.strip(" ,.")))
        if (
            _looks_like_name(candidate)
            and not candidate.rstrip().endswith((":", ","))
            and not _CONTACT_LABEL.search(candidate)
            and (not redacted_only or before.endswith((".", ",")) or not found)
        ):
            found.append((last, last))
    return _spanning(text, lines, found)


def _spanning(text: str, lines: list[str], ranges: list[tuple[int, int]]) -> list[str]:
    """The slice of text running from the first to the last line of each range."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return [text[starts[first] : starts[last] + len(lines[last])] for first, last in ranges]


def _next_nonblank(lines: list[str], number: int) -> int | None:
    for following in range(number + 1, min(len(lines), number + 4)):
        if lines[following].strip():
            return following
    return None


def _looks_like_name(value: str) -> bool:
    value = value.strip(" ,.*_")
    if _REDACTED.fullmatch(value) or re.fullmatch(r"(?:" + _REDACTION + r"\s*)+", value, re.I):
        return True
    if not value or len(value) > 60 or _URL_RE.search(value) or _EMAIL.search(value):
        return False
    words = value.replace(",", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    capitalized = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    if not re.search(r"[^\W\d_]", value):
        return False
    if capitalized < len(words) - 1:
        return False
    if re.search(r"\b(?:the|this|that|please|thank|regards|dear|hello|hi)\b", value, re.I):
        return len(words) >= 3 and value[:1].isupper() and "thank" not in value.lower()
    return True


def _contact(text: str, lines: list[str], sentences: list[_Sentence]) -> tuple[list[str], dict]:
    """Sentences or lines with the sender's contact details (a redaction counts)."""
    found: list[tuple[int, int]] = []  # first and last line of each
    details: dict[str, str] = {}
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _INFRINGER.search(stripped) and not re.match(r"^\W*(?:my|our)\b", stripped, re.I):
            continue
        hit = False
        for match in _EMAIL.finditer(stripped):
            address = match.group()
            domain = address.split("@")[1].lower()
            if any(domain == d or domain.endswith("." + d) for d in PROVIDER_DOMAINS):
                continue
            details.setdefault("email", address)
            hit = True
        phone = None
        label = _PHONE_LABEL.search(stripped)
        if label:
            phone = _PHONE.search(stripped, label.end()) or re.search(
                r"\+?\d[\d\s().-]{5,20}\d", stripped[label.end() :]
            )
        else:
            phone = _PHONE.search(_URL_RE.sub(" ", stripped))
        if phone:
            details.setdefault("phone", phone.group().strip())
            hit = True
        address = _ADDRESS.search(_URL_RE.sub(" ", stripped))
        address_label = _ADDRESS_LABEL.search(stripped)
        if address or (address_label and len(stripped) > address_label.end() + 8):
            value = stripped
            if address_label and stripped[address_label.end() :].strip():
                value = stripped[address_label.end() :].strip()
            if address or re.search(r"\d", value):
                details.setdefault("address", _strip_markup(value)[:300])
                hit = True
        last = number
        if not hit and (_CONTACT_LABEL.search(stripped) or _PHONE_LABEL.search(stripped)):
            rest = stripped
            following = _next_nonblank(lines, number)
            if _REDACTED.search(rest):
                hit = True
            elif following is not None and len(rest) < 250:
                value = lines[following]
                if _REDACTED.search(value) or _EMAIL.search(value) or _PHONE.search(value):
                    hit = True
                    last = following
        if hit:
            found.append((number, last))
        name = re.match(r"^\W*(?:full |legal )?name\s*[:\-]\s*(.+)$", stripped, re.I)
        if name and "name" not in details:
            details["name"] = _strip_markup(name.group(1))[:200]
    # A closing block of redacted lines (name, title, address, phone...) under the body.
    tail = [number for number, line in enumerate(lines) if line.strip()][-10:]
    redacted = [n for n in tail if _REDACTED.search(lines[n]) and len(lines[n].strip()) < 120]
    if len(redacted) >= 3:
        found.extend((number, number) for number in redacted[1:])
    return _spanning(text, lines, found), details


# ---------------------------------------------------------------------------------------
# Kind


def _kind(text: str, sentences: list[_Sentence]) -> str:
    body = _URL_RE.sub(" ", text)
    head = body[:600]
    counter_hits = len(_COUNTER_TERMS.findall(body))
    mistake = any(_mistake(s.text) for s in sentences)
    jurisdiction = any(_jurisdiction(s.text) for s in sentences)
    good_faith = any(_good_faith(s.text) for s in sentences)
    retract = [s for s in sentences if _RETRACT.search(s.text)]
    if retract:
        early = any(s.start < max(800, len(text) // 3) for s in retract)
        if early and not (mistake and jurisdiction):
            return "retraction"
    if mistake and jurisdiction:
        return "counter_notice"
    if re.search(r"counter[- ]?(?:n+otice|notification)", head, re.IGNORECASE) and (
        mistake or jurisdiction
    ):
        return "counter_notice"
    if counter_hits >= 2 and not good_faith and (mistake or jurisdiction):
        return "counter_notice"
    placeholders = len(_PLACEHOLDER.findall(text))
    if placeholders >= 2 or (
        placeholders
        and not any(not is_help_link(u) and "example" not in u for u in extract_urls(text))
    ):
        return "other"
    first_person_notice = re.search(
        r"\b(?:i|we|my client|our client)\b[^.\n]{0,80}\b(?:request|demand|ask|notify|"
        r"hereby|am writing|are writing|write to|report)|please (?:remove|disable|take)",
        body,
        re.IGNORECASE,
    )
    if (
        _POLICY_PAGE.search(body)
        and not (good_faith and first_person_notice)
        and not _has_sender_statements(sentences)
    ):
        return "other"
    if _AUTOREPLY.search(body) and len(body) < 1500 and not good_faith:
        return "other"
    copyright_words = _COPYRIGHT.search(body)
    if _TRADEMARK.search(body) and not re.search(r"copyright", body, re.IGNORECASE):
        return "other"
    if re.search(
        r"(?:we|GitHub|the provider) (?:has|have) (?:decided|determined) (?:to reject|that this "
        r"(?:notice|counter))|rejects? (?:this|the) (?:counter[- ]?)?notice",
        body,
        re.IGNORECASE,
    ):
        return "other"
    if copyright_words or (_NOTICE_WORDS.search(body) and extract_urls(text)):
        return "takedown"
    return "other"


def _has_sender_statements(sentences: list[_Sentence]) -> bool:
    gf = any(_good_faith(s.text) and re.search(r"\b(?:i|we)\b", s.text, re.I) for s in sentences)
    acc = any(_accuracy(s.text) and re.search(r"\b(?:i|we)\b", s.text, re.I) for s in sentences)
    return gf and acc


# ---------------------------------------------------------------------------------------
# Entry points


def _finding(sources: list[str]) -> Finding:
    return Finding(True, _trim(sources[0])) if sources else Finding(False, "")


def read_text(text: str) -> Reading:
    text, not_read = _readable(text)
    sentences = _sentences(text)
    lines = _Lines(text)
    spans = _url_spans(text)
    urls = list(dict.fromkeys(url for _, _, url in spans))
    kind = _kind(text, sentences)
    verdicts = _classify_urls(text, spans, lines) if kind in ("takedown",) else {}
    infringing = [u for u in urls if verdicts.get(u) == "infringing"]
    if kind == "takedown":
        infringing += _bare_locations(lines.lines, verdicts)
    references = list(dict.fromkeys(m.group().upper() for m in _REFERENCE.finditer(text)))
    contact_sources, contact = _contact(text, lines.lines, sentences)
    sources: dict[str, list[str]] = {}
    elements: dict[str, Finding] = {}
    works: list[str] = []
    signature = _signature(text, lines.lines)

    def lines_with(wanted) -> list[str]:
        """Each line that holds one of the URLs wanted, once."""
        numbers = dict.fromkeys(lines.number(s) for s, _, u in spans if u in wanted)
        return [lines.lines[number] for number in numbers]

    if kind == "takedown":
        work_sentences = [s.text for s in _find(sentences, _work)]
        originals = [u for u in urls if verdicts.get(u) == "original"]
        sources["signature"] = signature
        sources["copyrighted_work"] = work_sentences + lines_with(set(originals))
        known = set(urls)
        sources["infringing_material"] = lines_with(set(infringing)) + [
            location for location in infringing if location not in known
        ]
        sources["contact_information"] = contact_sources
        sources["good_faith_statement"] = [s.text for s in _find(sentences, _good_faith)]
        sources["accuracy_statement"] = [s.text for s in _find(sentences, _accuracy)]
        works = [_trim(w)[:200] for w in work_sentences[:5]]
        if not works:
            works = [f"The work at {u}" for u in originals[:5]]
        for key in TAKEDOWN_ELEMENTS:
            elements[key] = _finding(list(dict.fromkeys(sources[key])))
    elif kind == "counter_notice":
        material = lines_with({u for u in urls if not is_help_link(u)}) or [
            s.text
            for s in sentences
            if _MATERIAL.search(s.text)
            and not _mistake(s.text)
            and re.search(r"repositor|file|material|content|page|site|post|video", s.text)
        ]
        sources["signature"] = signature
        sources["material_identification"] = material
        sources["mistake_statement"] = [s.text for s in _find(sentences, _mistake)]
        sources["consent_to_jurisdiction"] = [s.text for s in _find(sentences, _jurisdiction)]
        for key in COUNTER_ELEMENTS:
            elements[key] = _finding(list(dict.fromkeys(sources[key])))
    for name, found in (("URLs", urls), ("Locations to remove", infringing)):
        if len(found) > MAX_LOCATIONS:
            not_read.append(
                f"{name} after the first {MAX_LOCATIONS:,} (of {len(found):,}) are not listed."
            )
            del found[MAX_LOCATIONS:]
    return Reading(
        kind=kind,
        elements=elements,
        urls=urls,
        infringing=infringing,
        works=works,
        references=references,
        contact=contact,
        not_read=not_read,
        sources={k: list(dict.fromkeys(v)) for k, v in sources.items()},
    )


def _readable(text: str) -> tuple[str, list[str]]:
    """The text as the reader takes it, and what of it was left unread: line ends made
    one, no NUL or unpaired surrogate (no database stores them), at most READ_MAX_CHARS,
    cut at a space or line end so that no URL is cut in two."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.encode("utf-8", "replace").decode("utf-8")
    if len(text) <= READ_MAX_CHARS:
        return text, []
    space = re.search(r"\s\S*$", text[READ_MAX_CHARS - 4096 : READ_MAX_CHARS + 1])
    cut = READ_MAX_CHARS - 4096 + space.start() if space else READ_MAX_CHARS
    unread = f"The text after its first {cut:,} characters (of {len(text):,}) was not read."
    return text[:cut], [unread]


def _bare_locations(lines: list[str], verdicts: dict[str, str]) -> list[str]:
    """IP addresses and bare host names listed under an infringing heading or label."""
    found: list[str] = []
    current = None
    for line in lines:
        if _is_heading(line) and not _URL_RE.search(line):
            current = _label(line) or "neutral"
            label_here = current
        else:
            label_here = _label(line.split(":")[0]) if ":" in line else ""
        if _URL_RE.search(line):
            continue
        effective = label_here if label_here in ("original", "infringing") else current
        if effective != "infringing":
            continue
        for match in _IP.finditer(line):
            found.append(match.group())
        bare = _BARE_HOST.match(line.strip().replace("**", ""))
        if bare and not _EMAIL.search(line) and not re.fullmatch(r"[\d.]+", bare.group(1)):
            location = bare.group(1) + (bare.group(2) or "")
            if not is_help_link("http://" + location):
                found.append(location)
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------
# E-mail


class _HTMLText:
    """lxml's parser target: the text of an HTML body, blocks on lines of their own and
    links written the Markdown way. libxml2 reads in linear time whatever the markup;
    the standard library's HTMLParser takes quadratic time on some (`<a ` repeated)."""

    _BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "hr",
    }

    def __init__(self):
        self.parts: list[str] = []
        self.skip = 0
        self.href: list[str | None] = []
        self.quote = 0

    def start(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag == "blockquote":
            self.quote += 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag in ("td", "th"):
            self.parts.append(" | ")
        if tag == "a":
            self.href.append(attrs.get("href"))
            self.parts.append("[")

    def end(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        if tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.lower().startswith(("http://", "https://")):
                self.parts.append(f"]({href})")
            else:
                self.parts.append("]")
        if tag in self._BLOCK:
            self.parts.append("\n")

    def data(self, data):
        if self.skip:
            return
        if self.quote:
            data = "\n".join("> " + line for line in data.split("\n"))
        self.parts.append(data)

    def close(self) -> str:
        return "".join(self.parts)


def html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    target = _HTMLText()
    parser = etree.HTMLParser(target=target, no_network=True, remove_comments=True)
    try:
        parser.feed(html)
        text = parser.close()
    except etree.LxmlError:  # nothing a parser could make sense of
        text = target.close()
    text = re.sub(r"\[([^\]\n]*)\]\((https?://[^)\s]+)\)", _collapse_link, text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


def _collapse_link(match: re.Match) -> str:
    label, href = match.group(1).strip(), match.group(2)
    if not label or label.rstrip("/") == href.rstrip("/"):
        return href
    return f"[{label}]({href})"


_QUOTE_INTRO = re.compile(
    r"^\s*(?:On .{4,200}wrote:|-{2,}\s*Original Message\s*-{2,}|_{5,}|"
    r"From:\s.+|Le .{4,200}a écrit\s*:|Am .{4,200}schrieb .{1,100}:)\s*$",
    re.IGNORECASE,
)


def split_body(body: str) -> tuple[str, str]:
    """(the sender's own text, the signature block): quoted replies and the "-- " block
    are cut away."""
    lines = body.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    signature: list[str] = []
    in_signature = False
    for line in lines:
        if in_signature:
            if _QUOTE_INTRO.match(line) or line.startswith(">"):
                break
            signature.append(line)
            continue
        if line.rstrip() == "--" or line == "-- ":
            in_signature = True
            continue
        if _QUOTE_INTRO.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n"), "\n".join(signature).strip("\n")


class _BoundedHeaders(email.policy.EmailPolicy):
    """The standard policy, each header cut at MAX_HEADER_CHARS as it is read: Python's
    header parser takes quadratic time on long ones (a megabyte of Subject: 20 s)."""

    def header_source_parse(self, sourcelines):
        name, value = super().header_source_parse(sourcelines)
        return name, value[:MAX_HEADER_CHARS]


MAIL_POLICY = _BoundedHeaders()


def parse_message(raw: bytes) -> EmailMessage:
    """A message as the reader reads it; the original bytes are kept as they came."""
    return email.message_from_bytes(raw, policy=MAIL_POLICY)


def parse_headers(raw: bytes) -> EmailMessage:
    """The headers alone, for a message whose body will not parse."""
    return BytesHeaderParser(policy=MAIL_POLICY).parsebytes(raw)


def message_body(message) -> tuple[str, list[str]]:
    """The body's text (plain, else HTML made text), and what could not be read of it."""
    for subtype in ("plain", "html"):
        try:
            part = message.get_body(preferencelist=(subtype,))
        except (AttributeError, KeyError):
            part = None
        if part is not None:
            text, not_read = _text_content(part)
            return (html_to_text(text) if subtype == "html" else text), not_read
    if message.is_multipart():
        return "", ["The message has no text part."]
    payload = message.get_payload(decode=True)
    return (payload.decode("utf-8", errors="replace") if payload else ""), []


def _text_content(part) -> tuple[str, list[str]]:
    try:
        return part.get_content(), []
    except LookupError:  # a charset Python does not know
        charset = header(part, "Content-Type").partition("charset=")[2][:60]
        payload = part.get_payload(decode=True) or b""
        note = (
            f"The charset {charset} is unknown: the body was read as UTF-8, and what is not "
            "UTF-8 was not read."
        )
        return payload.decode("utf-8", errors="replace"), [note]


def _long_headers(message) -> list[str]:
    names = sorted({name for name, value in message.raw_items() if len(value) >= MAX_HEADER_CHARS})
    if not names:
        return []
    listed = ", ".join(names)[:200]
    return [f"The headers {listed} past their first {MAX_HEADER_CHARS:,} characters were not read."]


def header(message, name: str) -> str:
    """A header's value as text, whatever it holds: parsed, else as written (Python's
    header parser fails on some, such as `From: <` or 5,000 "("); never a NUL or an
    unpaired surrogate, which no database stores."""
    try:
        value = str(message.get(name) or "")
    except Exception:  # the parser's own failures: IndexError, RecursionError
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return _readable(str(value))[0]


def sender_address(message) -> tuple[str, str]:
    """(name, address) of the From header; empty where it cannot be read as one."""
    try:
        name, address = email.utils.parseaddr(header(message, "From"))
    except Exception:  # nested comments exhaust parseaddr's recursion
        return "", ""
    return (name, address) if "@" in address else (name, "")


def read_message(message) -> Reading:
    body, not_read = message_body(message)
    body, unread = _readable(body)
    own, signature_block = split_body(body)
    reading = read_text(own)
    reading.not_read[:0] = _long_headers(message) + not_read + unread
    _, block_contact = _contact(signature_block, signature_block.split("\n"), [])
    for key, value in block_contact.items():
        reading.contact.setdefault(key, value)
    name, address = sender_address(message)
    if address and "email" not in reading.contact:
        reading.contact["email"] = address
    if name and "name" not in reading.contact:
        reading.contact["name"] = name
    for key in ("contact_information",):
        finding = reading.elements.get(key)
        if finding is not None and not finding.present:
            evidence = (
                signature_block.strip().split("\n")[0] if block_contact else f"From: {address}"
            )
            if block_contact or address:
                reading.elements[key] = Finding(True, _trim(evidence))
                reading.sources[key] = [evidence]
    if reading.kind == "takedown":
        sig = reading.elements.get("signature")
        if sig is not None and not sig.present and signature_block.strip():
            first = signature_block.strip().split("\n")[0]
            if _looks_like_name(_strip_markup(first)):
                reading.elements["signature"] = Finding(True, _trim(first))
                reading.sources["signature"] = [first]
    return reading
