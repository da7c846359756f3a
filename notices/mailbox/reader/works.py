"""The copyrighted work a takedown names (§ 512(c)(3)(A)(ii)): the work itself, as the
sender names it, never the sentence about who may act for its owner nor the bare label
"Copyrighted work:".

In order of trust: the value of a label ("Title: The Quiet Harbor", "PRODUCT: …", the line
under "Original work:"), a quoted or "titled" title in a sentence about the work, the URL
of the work, and last a sentence that describes the sender's own work.
"""

import re

from . import elements
from .contact import CONTACT_LABEL
from .layout import Sentence, is_heading, next_nonblank, strip_markup, trim
from .urls import REDACTED, URL_RE

WORKS_LISTED = 5

_LABEL = re.compile(
    r"^(?:the\s+)?(?:original\s+|copyright(?:ed)?\s+|infringed\s+|protected\s+)?"
    r"(?:works?|work\(s\)|titles?|title\(s\)|products?|product\(s\)|films?|movies?|programmes?|"
    r"programs?|series|books?|songs?|albums?|recordings?|games?|software|photos?|photographs?|"
    r"list of infringing items or material|name of (?:the\s+)?(?:copyrighted\s+)?work|"
    r"identification of (?:the\s+)?(?:original\s+|copyrighted\s+)?works?(?:\(s\))?|"
    r"description of (?:the\s+)?(?:original\s+|copyrighted\s+)?work)"
    r"(?:\s+(?:title|name|infringed|identified|claimed))?\s*[:\-–]\s*(.*)$",
    re.IGNORECASE,
)
# "The infringing items are the works of: The Last of Us Part II"
_INLINE_LABEL = re.compile(
    r"\b(?:copyrighted |original )?works?(?:\(s\))?(?: of| infringed| in question| concerned)?"
    r"\s*:\s*(\S.{1,150})$",
    re.IGNORECASE,
)
# Values that point elsewhere instead of naming the work.
_NO_VALUE = re.compile(
    r"^(?:see (?:below|above|attached)|as (?:below|above)|below|above|n/?a|none|various|"
    r"(?:dear|hello|hi)\b)",
    re.IGNORECASE,
)
_TITLE = re.compile(
    r"(?:(?:titled|entitled|called|named)\s+)?[\"“«]([^\"”»\n]{2,100})[\"”»](\s*\(\d{4}\))?"
    r"|(?:titled|entitled|called|named)\s+([A-Z][^,.;:\n]{1,80})"
)
_ABOUT_THE_WORK = re.compile(
    r"copyright|\bwork|film|movie|motion picture|series|episode|programme|program|book|novel|"
    r"song|album|recording|track|game|software|video|photo|image|artwork|title|\bowner|rights",
    re.IGNORECASE,
)
# The sentences that say who may act, or swear: they mention the work only in passing.
_NOT_ABOUT_THE_WORK = re.compile(
    r"authori[sz]ed to act|authority to act|on behalf of|penalty of perjury|good[- ]?faith|"
    r"at least one copyright|(?:contact|reach) (?:me|us)",
    re.IGNORECASE,
)


_DEFINED_TERM = re.compile(
    r"\((?:the |hereinafter,? (?:the )?|collectively,? (?:the )?|each,? an? )?$", re.IGNORECASE
)


def find_works(
    lines: list[str],
    sentences: list[Sentence],
    sections: list[str | None],
    work_urls: dict[str, str],
) -> tuple[list[str], list[str]]:
    """(each work as a short description, the lines or sentences that name them).
    ``sections`` is the label in force at each line (see material.sections);
    ``work_urls`` maps each URL the sender gives for its work to the line that gives it."""
    found: dict[str, str] = {}  # description -> evidence
    for description, evidence in _labelled(lines):
        found.setdefault(description, evidence)
    for description, evidence in _under_original(lines, sections):
        found.setdefault(description, evidence)
    for sentence in sentences:
        if not _ABOUT_THE_WORK.search(sentence.text):
            continue
        for title in _titles(sentence.text):
            found.setdefault(title, sentence.text)
    for url, line in work_urls.items():
        found.setdefault(f"The work at {url}", line)
    # Sentences that only describe the work: the works when nothing names them better,
    # and evidence either way (so that deleting what the reader relied on removes all).
    described = {
        trim(s.text)[:200]: s.text
        for s in sentences
        if _LISTED_WORKS.search(s.text) or _describes_own_work(s.text)
    }
    evidence = list(dict.fromkeys([*found.values(), *described.values()]))
    return list(found or described)[:WORKS_LISTED], evidence


def _under_original(lines: list[str], sections: list[str | None]):
    """The first lines of text under a heading about the original work (its description),
    URLs aside: those are the work's URLs."""
    taken = 0
    for number, line in enumerate(lines):
        if sections[number] != "original" or is_heading(line):
            taken = 0
            continue
        text = strip_markup(line)
        if not text and taken:
            taken = 3  # the first paragraph under the heading is the description
        if not text or URL_RE.search(text) or taken >= 3:
            continue
        if CONTACT_LABEL.search(text) or _NO_VALUE.match(text):
            continue
        taken += 1
        yield trim(text)[:200], line


def _labelled(lines: list[str]):
    for number, line in enumerate(lines):
        plain = strip_markup(line)
        label = _LABEL.match(plain) or _INLINE_LABEL.search(plain) or _INTRODUCES_WORK.search(plain)
        if not label:
            continue
        value = URL_RE.sub("", label.group(1) if label.groups() else "").strip(" *_-:")
        evidence = line
        if not value and not (label.groups() and URL_RE.search(label.group(1))):
            following = next_nonblank(lines, number)
            if following is not None:
                candidate = URL_RE.sub("", strip_markup(lines[following])).strip(" ()[]-")
                if candidate and not candidate.endswith(":"):
                    value, evidence = candidate, line + "\n" + lines[following]
        if value and not _NO_VALUE.match(value):
            yield trim(value)[:200], evidence


def _titles(sentence: str) -> list[str]:
    titles = []
    for match in _TITLE.finditer(sentence):
        title = (match.group(1) or match.group(3) or "").strip(' "“”«»')
        # a defined term such as ("Company") or (the "IFPI Represented Companies") is no title
        if not title or _DEFINED_TERM.search(sentence[: match.start()]) or REDACTED.search(title):
            continue
        titles.append(f"“{title}”{match.group(2) or ''}")
    return titles


# "…the copyrights in the following work (the "Work"):" — the value on the next line.
_INTRODUCES_WORK = re.compile(
    r"^(?!.*(?:infring|unauthori|cop(?:y|ies)\b|remov|disabl|locat|url|link))"
    r".*\b(?:following|these|this|the|our|my|[\w-]+['’]s) (?:[\w,.&]+ +){0,3}"
    r"(?:copyrighted |original |proprietary )?(?:works?|"
    r"work\(s\)|titles?|films?|movies?|books?|products?|(?:sound )?recordings?|programmes?|"
    r"songs?|albums?|games?|software|materials?)\b[^:]{0,120}:\W*$",
    re.IGNORECASE,
)
# A work of a kind, qualified ("our company's backend source code", "the bestselling
# book"); "our film", "our content", "the copyrighted material" name no work.
_KIND_OF_WORK = re.compile(
    r"\b(?!(?:our|my|the|this|that|these|those|its|their|his|her|your|a|an|of|and|or)\b)"
    r"[\w’'-]{3,}\s+(?:source code|code|software|plug-?ins?|programs?|applications?|apps?|"
    r"films?|movies?|"
    r"series|episodes?|books?|novels?|songs?|albums?|recordings?|games?|photo(?:graph)?s?|"
    r"images?|pictures?|artworks?|illustrations?|courses?|fonts?|themes?|librar(?:y|ies)|"
    r"documentation|manuals?|articles?|broadcasts?|shows?|backend|website|repositor(?:y|ies)|"
    r"sdk)\b",
    re.IGNORECASE,
)
# A name in the sentence: two capitalised words past its first, a name in capitals
# ("our ACME server files"), a company ("belongs to Example, Inc."), or a copyright mark.
_NAMED = re.compile(
    r"(?<=\S )[A-Z][\w'’&.-]*(?: (?:[A-Z0-9][\w'’&.:-]*|of|the|and|de|la))*"
    r" [A-Z0-9][\w'’&.-]*|©|\(c\)\s*\d{4}|"
    r"(?<=\S )(?!(?:DMCA|URLS?|USA?|API|PDF|HTML|IP|FAQ|GDPR|CEO|ID)\b)[A-Z][A-Z0-9]{2,}\+*(?!\w)|"
    r"\b[A-Z][\w&.-]+,? (?:Inc|LLC|Ltd|Corp|GmbH|AG|S\.A)\b"
)
# "I own the code, but they are infringing:": the turn and the label after it.
_TURN_TO_LABEL = re.compile(r"\s*[,;]\s*(?:but|however,?|yet)\s+[^,;]*:\W*$", re.IGNORECASE)


# "…in the titles listed below, a representative list of the works" (§ 512(c)(3)(A)(ii)).
_LISTED_WORKS = re.compile(
    r"\b(?:titles?|works?|work\(s\)|recordings?|films?|books?)\b(?:\W+\w+){0,3}\W+(?:listed|"
    r"identified|described|set out|named)\s+(?:below|in the (?:table|list|schedule|annex))",
    re.IGNORECASE,
)


def _describes_own_work(text: str) -> bool:
    """A sentence about the sender's own work that names it ("our photographs of the
    Harbor Lights Festival"), not one that only says "our content"."""
    text = _TURN_TO_LABEL.sub("", text)
    return (  # the cheap tests first: elements.work is the slowest
        not text.rstrip(" *_").endswith(":")  # a label, its value elsewhere
        and not _NOT_ABOUT_THE_WORK.search(text)
        and not _LABEL.match(strip_markup(text))  # labels are read with their values
        and bool(_NAMED.search(URL_RE.sub(" ", text)) or _KIND_OF_WORK.search(text))
        and elements.work(text)
    )
