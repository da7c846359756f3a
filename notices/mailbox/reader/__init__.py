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

import re
from dataclasses import dataclass, field

from . import elements
from .contact import find_contact
from .kind import COVER_NOTE, kind_of
from .layout import Lines, readable, split_sentences, strip_markup, trim
from .material import bare_locations, classify_urls, sections
from .message import long_headers, message_body, sender_address, split_body
from .signature import find_signature, looks_like_name
from .urls import is_help_link, url_spans
from .works import WORKS_LISTED, find_works

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
    # The typed name that signs the message ('/s/ Jane Roe' gives 'Jane Roe'); '' when the
    # signature is a redaction mark, a company line, or missing.
    signer: str = ""
    # The sentence that decided the kind, where one did ("other": why it is no notice).
    kind_evidence: str = ""
    # What the reader left unread or had to guess at, in words for the agent.
    not_read: list[str] = field(default_factory=list)
    # Every sentence each detector relied on, untrimmed (for audits and ablation tests).
    sources: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def cover_note(self) -> bool:
        """Whether the text only sends the notice as an attachment ("see attached notice")."""
        return self.kind == "other" and self.kind_evidence.startswith(COVER_NOTE)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "kind_evidence": self.kind_evidence,
            "elements": {
                key: {"present": finding.present, "evidence": finding.evidence}
                for key, finding in self.elements.items()
            },
            "urls": list(self.urls),
            "infringing": list(self.infringing),
            "contact": dict(self.contact),
            "signer": self.signer,
            "works": list(self.works),
            "not_read": list(self.not_read),
        }


_REFERENCE = re.compile(r"\bDMCA-\d{4}-\d{4,8}\b", re.IGNORECASE)


def _finding(sources: list[str]) -> Finding:
    return Finding(True, trim(sources[0])) if sources else Finding(False, "")


def read_text(text: str) -> Reading:
    text, not_read = readable(text)
    sentences = split_sentences(text)
    lines = Lines(text)
    spans = url_spans(text)
    urls = list(dict.fromkeys(url for _, _, url in spans))
    kind, kind_evidence = kind_of(text, sentences)
    heading_at = sections(lines) if kind == "takedown" else []
    verdicts = classify_urls(text, spans, lines, heading_at) if kind == "takedown" else {}
    infringing = [u for u in urls if verdicts.get(u) == "infringing"]
    if kind == "takedown":
        infringing += bare_locations(lines.lines, verdicts)
    references = list(dict.fromkeys(m.group().upper() for m in _REFERENCE.finditer(text)))
    contact_sources, contact = find_contact(text, lines.lines, sentences)
    sources: dict[str, list[str]] = {}
    findings: dict[str, Finding] = {}
    works: list[str] = []
    signature, signer = find_signature(text, lines.lines)

    def lines_with(wanted) -> list[str]:
        """Each line that holds one of the URLs wanted, once."""
        numbers = dict.fromkeys(lines.number(s) for s, _, u in spans if u in wanted)
        return [lines.lines[number] for number in numbers]

    if kind == "takedown":
        originals = [u for u in urls if verdicts.get(u) == "original"]
        work_lines = {u: lines_with({u})[0] for u in originals[:WORKS_LISTED]}
        works, sources["copyrighted_work"] = find_works(
            lines.lines, sentences, heading_at, work_lines
        )
        sources["signature"] = signature
        known = set(urls)
        sources["infringing_material"] = lines_with(set(infringing)) + [
            location for location in infringing if location not in known
        ]
        sources["contact_information"] = contact_sources
        sources["good_faith_statement"] = [
            s.text for s in elements.find(sentences, elements.good_faith)
        ]
        sources["accuracy_statement"] = [
            s.text for s in elements.find(sentences, elements.accuracy)
        ]
        for key in TAKEDOWN_ELEMENTS:
            findings[key] = _finding(list(dict.fromkeys(sources[key])))
    elif kind == "counter_notice":
        material = lines_with({u for u in urls if not is_help_link(u)}) or [
            s.text
            for s in sentences
            if elements.MATERIAL.search(s.text)
            and not elements.mistake(s.text)
            and re.search(r"repositor|file|material|content|page|site|post|video", s.text)
        ]
        sources["signature"] = signature
        sources["material_identification"] = material
        sources["mistake_statement"] = [s.text for s in elements.find(sentences, elements.mistake)]
        sources["consent_to_jurisdiction"] = [
            s.text for s in elements.find(sentences, elements.jurisdiction)
        ]
        for key in COUNTER_ELEMENTS:
            findings[key] = _finding(list(dict.fromkeys(sources[key])))
    for name, found in (("URLs", urls), ("Locations to remove", infringing)):
        if len(found) > MAX_LOCATIONS:
            not_read.append(
                f"{name} after the first {MAX_LOCATIONS:,} (of {len(found):,}) are not listed."
            )
            del found[MAX_LOCATIONS:]
    return Reading(
        kind=kind,
        elements=findings,
        urls=urls,
        infringing=infringing,
        works=works,
        references=references,
        contact=contact,
        signer=signer if kind != "other" else "",
        kind_evidence=kind_evidence,
        not_read=not_read,
        sources={k: list(dict.fromkeys(v)) for k, v in sources.items()},
    )


def read_message(message, attached: str | None = None) -> Reading:
    """The message as read; or, for a notice sent as an attachment, the attachment's text
    `attached` read whole (a letter's "From:" line is no quoted reply), the message giving
    the sender."""
    if attached is None:
        body, not_read = message_body(message)
        body, unread = readable(body)
        own, signature_block = split_body(body)
    else:
        (own, unread), not_read, signature_block = readable(attached), [], ""
    reading = read_text(own)
    reading.not_read[:0] = long_headers(message) + not_read + unread
    _, block_contact = find_contact(signature_block, signature_block.split("\n"), [])
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
                reading.elements[key] = Finding(True, trim(evidence))
                reading.sources[key] = [evidence]
    if reading.kind == "takedown":
        sig = reading.elements.get("signature")
        if sig is not None and not sig.present and signature_block.strip():
            first = signature_block.strip().split("\n")[0]
            if looks_like_name(strip_markup(first)):
                reading.elements["signature"] = Finding(True, trim(first))
                reading.sources["signature"] = [first]
                reading.signer = reading.signer or find_signature(first, [first])[1]
    return reading
