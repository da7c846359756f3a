"""The statutory elements a message carries, each by the sentence that carries it: good
faith, accuracy under penalty of perjury, the work, the signature; for a counter notice
mistake or misidentification and consent to jurisdiction."""

import re

from .contact import CONTACT_LABEL, EMAIL
from .layout import Sentence, next_nonblank, spanning, strip_markup
from .urls import REDACTED, REDACTION, URL_RE

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
MATERIAL = re.compile(
    r"(?:removed|disabled|taken down|deleted|blocked|disabling|removal)\b", re.IGNORECASE
)
_JURISDICTION = re.compile(
    r"(?:consent|submit|agree)\w* (?:\w+ ){0,4}(?:jurisdiction|venue)|"
    r"jurisdiction of (?:the )?(?:federal|united states|u\.s\.)|accept service of process|"
    r"service of process",
    re.IGNORECASE,
)


def find(sentences: list[Sentence], test) -> list[Sentence]:
    return [s for s in sentences if test(s.text)]


def good_faith(s: str) -> bool:
    if _MISTAKE.search(s):
        return False
    if _GOOD_FAITH.search(s) and _NOT_AUTHORIZED.search(s):
        return True
    return bool(_STATUTORY_GF.search(s))


def accuracy(s: str) -> bool:
    if _MISTAKE.search(s):
        return False
    if _PERJURY.search(s):
        return True
    return bool(_ACCURATE.search(s) and _AUTHORITY.search(s))


def mistake(s: str) -> bool:
    return bool(_MISTAKE.search(s) and (MATERIAL.search(s) or _GOOD_FAITH.search(s)))


def jurisdiction(s: str) -> bool:
    return bool(_JURISDICTION.search(s))


def work(s: str) -> bool:
    if _WORK_EXCLUDE.search(s) or _MISTAKE.search(s):
        return False
    return bool(_WORK.search(s))


def signature(text: str, lines: list[str]) -> list[str]:
    """Lines that sign the message: '/s/ Name', 'Signed: Name', a sign-off followed by a
    name, or a name line closing the message."""
    found: list[tuple[int, int]] = []  # first and last line of each
    for number, line in enumerate(lines):
        stripped = strip_markup(line)
        if not stripped:
            continue
        if _SIGNED_LINE.search(stripped):
            rest = [stripped]
            if re.search(r"to sign|signature\s*:?\s*$|signed\s*:?\s*$", stripped, re.IGNORECASE):
                following = next_nonblank(lines, number)
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
            if remainder and looks_like_name(remainder):
                found.append((number, number))
                continue
            following = next_nonblank(lines, number)
            if (
                following is not None
                and following - number <= 3
                and looks_like_name(strip_markup(lines[following]))
            ):
                block = [number]
                while following is not None and len(block) < 4:
                    candidate = strip_markup(lines[following])
                    if not looks_like_name(candidate) or CONTACT_LABEL.search(candidate):
                        break
                    block.append(following)
                    following = next_nonblank(lines, following)
                found.append((block[0], block[-1]))
    # A typed name closing the message: the last line, a name or a redacted name.
    tail = [n for n, line in enumerate(lines) if line.strip()]
    if tail:
        last = tail[-1]
        block_start = last
        while block_start > 0 and lines[block_start - 1].strip() and last - block_start < 5:
            block_start -= 1
        first = strip_markup(lines[block_start])
        if block_start != last and looks_like_name(first) and not CONTACT_LABEL.search(first):
            last = block_start
            tail = tail[: tail.index(block_start) + 1]
        candidate = strip_markup(lines[last])
        before = strip_markup(lines[tail[-2]]) if len(tail) > 1 else ""
        redacted_only = bool(REDACTED.fullmatch(candidate.strip(" ,.")))
        if (
            looks_like_name(candidate)
            and not candidate.rstrip().endswith((":", ","))
            and not CONTACT_LABEL.search(candidate)
            and (not redacted_only or before.endswith((".", ",")) or not found)
        ):
            found.append((last, last))
    return spanning(text, lines, found)


def looks_like_name(value: str) -> bool:
    value = value.strip(" ,.*_")
    if REDACTED.fullmatch(value) or re.fullmatch(r"(?:" + REDACTION + r"\s*)+", value, re.I):
        return True
    if not value or len(value) > 60 or URL_RE.search(value) or EMAIL.search(value):
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
