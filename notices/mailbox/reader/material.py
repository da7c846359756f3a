"""Which URLs are the work and which the material to remove: the labels the sender puts
on them or on the heading above them, and bare hosts and addresses under such a heading."""

import functools
import re
from urllib.parse import urlsplit

from .contact import EMAIL, INFRINGER
from .layout import Lines, is_heading
from .urls import URL_RE, is_help_link, provider_domains

# Labels the sender puts on URLs or on the heading above them.
_ORIGINAL = re.compile(
    r"\boriginal(?:s|en?|es)?\b|\bofficial\b|\blegitimate\b|\bgenuine\b|\bauthentic\b|"
    r"\b(?:our|my|the client'?s?|client's|their) (?:own )?(?:\w+ ){0,2}(?:work|works|site|"
    r"website|web site|page|store|product|listing|channel|repository|repo|code|project|"
    r"software|content|photos?|images?|film|book|portfolio|domain)\b|"
    r"copyrighted (?:work|material|content|code|software|image|photo)s?\b(?! (?:is|are|was|were|"
    r"has|have) (?:being )?(?:copied|hosted|infring|reproduced))|"
    r"work (?:is|was|can be) (?:located|found|available|published)|"
    r"(?:located|available|published|found|hosted) (?:\w+ ){0,2}(?:on|at) (?:our|my)|"
    r"source of the work|\bforked from\b|\ba fork of\b|"
    r"authori[sz]ed (?:\w+ )?(?:versions?|cop(?:y|ies)|sources?|examples?)|"
    r"legally (?:available|purchased)|licensed version|authori[sz]ed (?:version|copy|source)|"
    r"(?:purchase|buy|sold)\b|owned by|proof of ownership|we own|i own|created by (?:us|me)|"
    r"\b(?:am|are) the (?:\w+ ){0,2}(?:owner|author|creator|copyright holder)s?\b",
    re.IGNORECASE,
)
_INFRINGING_STRONG = re.compile(
    r"infringing|to be (?:removed|disabled|taken down|deleted)|(?:should|must|need to) be "
    r"(?:removed|disabled|taken down|deleted)|please (?:remove|disable|take down|delete)|"
    r"\b(?:remove|disable|take down|delete) (?:the )?(?:following|these|this|below)|"
    r"taken down|take ?down|offending|\bthe cop(?:y|ies)\b|"
    r"(?:has|have|had|been|was|were) (?:\w+ )?re-?(?:posted|uploaded)|"
    r"\blinks? to (?:the )?infringement|\binfringement (?:links?|urls?|locations?|addresses)|"
    # "the URLs where my work is being infringed", "the URL at which this user has published"
    r"\b(?:where|at which|on which) (?:\w+\W+){0,5}?(?:is|are) (?:being )?(?:infring|copied|"
    r"reproduced|pirated)|"
    r"\b(?:this|the|that|these|a) (?:\w+ )?(?:users?|infringers?|account holders?|uploaders?)"
    r"(?: \S+)? (?:has |have |had )?(?:published|posted|uploaded|shared|put|copied)\b|"
    r"\bcop(?:y|ies) (?:is|are|can)\b|unauthori[sz]ed|unlicen[sc]ed|pirat|illegal|illicit|"
    r"stolen|counterfeit|verletz\w*|nicht (?:autorisiert|genehmigt)\w*|raubkopi\w*|"
    r"contrefa\w+|(?:are|is) (?:being )?(?:infring|copied|hosted|reproduced|"
    r"distributed|shared|made available)|copies|copy of|copied|hosted on your|"
    r"on your (?:network|servers?|service|platform|system)|forks?\b|forked (?:at|to|by|into|"
    r"here|as)\b|violat|"
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


# A heading, a URL's line and the sentence before it are labelled again and again (each
# URL under them asks): labelled once.
@functools.lru_cache(maxsize=4096)
def _label(text: str) -> str:
    """'original', 'infringing' or '' for a heading, label or sentence."""
    text = URL_RE.sub(" ", text)
    strong = _INFRINGING_STRONG.search(text)
    original = _ORIGINAL.search(text)
    if strong and original:
        # "the original work that has allegedly been infringed": the nearest, first, wins;
        # "infringing copies of our work": infringing; but "…is infringing upon their
        # copyrighted works, as listed below": what is listed is the verb's object.
        if original.start() < strong.start() or _INFRINGE_VERB.match(text, strong.start()):
            return "original"
        return "infringing"
    if strong:
        return "infringing"
    if original:
        return "original"
    if _INFRINGING_WEAK.search(text):
        return "weak"
    return ""


_INFRINGE_VERB = re.compile(
    r"(?:(?:is|are) (?:being )?)?infring(?:es|e|ing) (?:up)?on\b", re.IGNORECASE
)
# Where a sentence ends inside a line of prose (URLs are blanked before this is asked).
_SENTENCE_END = re.compile(r".*[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])", re.DOTALL)


def _listed(lines: Lines, number: int) -> bool:
    """The URL stands as an item of a list: its line says little else."""
    return len(URL_RE.sub(" ", lines.lines[number]).split()) <= 6


def _label_near(text: str) -> str:
    """The label of the clause, else the sentence, that ends the text when it has one, else
    of the whole: "…without permission. The original video can be found at:" is about the
    original; "I own the code, but they are infringing:" and "What files should be taken
    down? Please provide URLs:" about the copies."""
    sentence = _last_sentence(text)
    for part in (_CLAUSE_AFTER_BUT.split(sentence)[-1], sentence):
        near = _label(part)
        if near in ("original", "infringing"):
            return near
    return _label(text)


# "…, but they are infringing:": the clause after the turn introduces what follows.
_CLAUSE_AFTER_BUT = re.compile(r"\s*(?:,|;)\s*(?:but|however,?|yet)\s+", re.IGNORECASE)


def _last_sentence(text: str) -> str:
    """The sentence a label or URL ends."""
    blanked = URL_RE.sub(lambda match: " " * len(match.group()), text)
    end = _SENTENCE_END.match(blanked)
    return text[end.end() :] if end else text


def classify_urls(
    text: str, spans: list[tuple[int, int, str]], lines: Lines, heading_at: list[str | None]
) -> dict[str, str]:
    """For each URL: 'infringing', 'original', 'help' or 'other'. One pass over the spans
    in order, each looking only at its own line and the two before it; `heading_at` is the
    label in force at each line (sections())."""
    infringer_line: dict[int, bool] = {}
    sender_hosts = set()
    provider = provider_domains()
    for match in EMAIL.finditer(text):
        number = lines.number(match.start())
        if number not in infringer_line:
            infringer_line[number] = bool(INFRINGER.search(lines.lines[number]))
        if not infringer_line[number]:
            sender_hosts.add(_host_root(match.group().split("@")[1]))
    result: dict[str, str] = {}
    verdict, line_before = "", -1
    for index, (start, _end, url) in enumerate(spans):
        number = lines.number(start)
        if not (
            number == line_before and _LIST_SEPARATOR.fullmatch(text[spans[index - 1][1] : start])
        ):
            verdict = _url_verdict(
                text, spans, index, number, heading_at, lines, sender_hosts, provider
            )
        # else: "…located at URL1, URL2 and URL3": one label for the list on one line
        line_before = number
        previous = result.get(url)
        if previous in ("infringing", "help"):
            continue
        if previous == "original" and not (
            verdict == "infringing" or verdict == "under infringing" and _listed(lines, number)
        ):
            # the work's URL given again in passing stays the work; listed again under
            # "What should be taken down?" it is the material the sender asks to remove
            continue
        result[url] = _FINAL.get(verdict, verdict)
    return result


# A URL's verdict from the heading above it, or from no label at all (a takedown's URL:
# the material), counts for less than its own sentence when the URL is given twice.
_FINAL = {
    "under original": "original",
    "under infringing": "infringing",
    "unlabelled": "infringing",
}


_LIST_SEPARATOR = re.compile(r"[\s,;|/&]*(?:(?:and|or|und|oder|et|ou|y|o)\b[\s,;|/&]*)?")


def sections(lines: Lines) -> list[str | None]:
    """The label in force at each line. A Markdown or bold heading rules to the next one;
    a line of prose ending in ':' ("Bitte löschen Sie folgendes:") introduces the list
    under it, keeps the label before it when it carries none (the sender's own words for
    "these"), and ends where prose resumes."""
    heading_at: list[str | None] = []
    current: str | None = None
    introduced = False  # the label in force came from a line of prose ending in ':'
    for number, line in enumerate(lines.lines):
        if lines.is_heading(number):
            plain = URL_RE.sub("", line).strip(" *#:-")
            if plain:
                label = _label_near(line)
                introduced = _is_prose_label(line)
                if label in ("original", "infringing"):
                    current = label
                elif not introduced or _SENDER_SECTION.search(plain):
                    current = "neutral"
        elif introduced and _is_prose(line):
            current, introduced = None, False
        heading_at.append(current)
    return heading_at


_SENDER_SECTION = re.compile(
    r"\b(?:contact|e-?mail|phone|tel|fax|address|web ?site|web|homepage|social|facebook|"
    r"twitter|instagram|linkedin|company|sender|from|signed|regards|kontakt)\b",
    re.IGNORECASE,
)


def _is_prose_label(line: str) -> bool:
    stripped = line.strip()
    return not re.match(r"^\s{0,3}#{1,6}\s", line) and not stripped.startswith("**")


def _is_prose(line: str) -> bool:
    """A line of the letter's sentences, not an item of a list."""
    stripped = line.strip()
    if re.match(r"^(?:[-*+•·]|\d{1,3}[.)])\s", stripped) or re.search(r":\W*$", stripped):
        return False  # an item, or a note that introduces more ("(…as follows:)")
    return len(re.findall(r"[^\W\d_]{2,}", URL_RE.sub(" ", stripped))) >= 10


def _host_root(host: str) -> str:
    host = host.lower().split(":")[0]
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


# Of a line above a URL, only its end can be the sentence that introduces the URL.
_LEAD_CHARS = 1000


def _url_verdict(text, spans, index, number, heading_at, lines: Lines, hosts, provider):
    start, end, url = spans[index]
    if is_help_link(url, provider):
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
    inline = _label_near(before)
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
    lead_label = _label_near(lead)
    if lead_label in ("original", "infringing"):
        if _HELP_CONTEXT.search(lead) and lead_label != "infringing":
            return "help"
        return lead_label
    section = heading_at[number]
    if lines.is_heading(number):
        # the URL sits on the heading line itself; the heading before it rules
        section = heading_at[number - 1] if number else None
    if section in ("original", "infringing"):
        return "under " + section
    if _host_root(urlsplit(url).netloc) in hosts:
        return "original"
    if section == "neutral":
        return "other"
    return "unlabelled"


def bare_locations(lines: list[str], verdicts: dict[str, str]) -> list[str]:
    """IP addresses and bare host names listed under an infringing heading or label."""
    found: list[str] = []
    current = None
    for line in lines:
        if URL_RE.search(line):
            continue  # its URLs are classified already; a heading with a URL sets nothing
        if is_heading(line):
            current = _label(line) or "neutral"
            label_here = current
        else:
            label_here = _label(line.split(":")[0]) if ":" in line else ""
        effective = label_here if label_here in ("original", "infringing") else current
        if effective != "infringing":
            continue
        for match in _IP.finditer(line):
            found.append(match.group())
        bare = _BARE_HOST.match(line.strip().replace("**", ""))
        if bare and not EMAIL.search(line) and not re.fullmatch(r"[\d.]+", bare.group(1)):
            location = bare.group(1) + (bare.group(2) or "")
            if not is_help_link("http://" + location):
                found.append(location)
    return list(dict.fromkeys(found))
