"""The signature (§ 512(c)(3)(A)(i), § 512(g)(3)(A)): the typed name that signs the
message, and that name alone for the case.

'/s/ Name', 'Signed: Name', 'Electronic signature: Name', 'I, Name, state that…', a name
under the sign-off, or a name closing the message. A company line or a department
("Legal Department", "Muso Legal Team") signs nothing; a redaction mark where the name was
("[private]") shows a signature was there, but is no name.
"""

import re

from .contact import CONTACT_LABEL, EMAIL
from .layout import next_nonblank, spanning, strip_markup
from .urls import REDACTED, REDACTION, URL_RE

_SIGN_OFF = re.compile(
    r"^(?:(?:yours )?sincerely|(?:very )?(?:truly|faithfully|respectfully) yours|"
    r"yours (?:truly|faithfully|sincerely)|respectfully(?: submitted)?|(?:best |kind |warm )?"
    r"regards|best(?: wishes)?|thanks?(?: you)?(?: (?:very much|in advance))?|cheers|cordially|"
    r"atenciosamente|atentamente|cordialement|saludos|mit freundlichen grüßen|"
    r"met vriendelijke groeten|"
    r"signed|signature|electronic signature|e-signature|/s/|s/)\b[\s,.:!-]*",
    re.IGNORECASE,
)
_SIGNED_LINE = re.compile(
    r"(?:^|\s)/?s/\s*:?\s*\S|^\s*(?:signed|(?:legal |typed )?signature|electronic signature|"
    r"e-signature|digitally signed|sign(?:ed)? by)\s*(?:by)?\s*[:\-：]\s*\S|"
    r"type your (?:full )?(?:legal )?name (?:below )?to sign",
    re.IGNORECASE,
)
# What precedes the name on a signature line.
_SIGNED_PREFIX = re.compile(
    r"^.*?(?:(?:^|(?<=\s))/?s/\s*:?|(?:signed|(?:legal |typed )?signature|electronic signature|"
    r"e-signature|digitally signed|sign(?:ed)? by)\s*(?:by)?\s*[:\-：])\s*",
    re.IGNORECASE,
)
# "I, Christina Example, state that:" — the declarant names itself.
_I_NAME = re.compile(
    r"^\W*I,\s+([^,\n]{3,60}),\s+(?:hereby\s+|do\s+)?(?:state|declare|swear|certify|affirm|"
    r"wish|confirm|attest|am|the undersigned)\b",
    re.IGNORECASE,
)
# A line that names an organisation or a department, not a person who signs.
_ORGANISATION = re.compile(
    r"\b(?:team|department|dept|legal|inc|llc|llp|ltd|limited|gmbh|ag|bv|corp|corporation|"
    r"company|co|s\.?l|s\.?a|plc|oü|group|agency|services|solutions|support|office|desk|"
    r"protection|anti-?piracy|enforcement|studios?|pictures|records|entertainment|media|"
    r"productions?|foundation|association|university|online)\b\.?",
    re.IGNORECASE,
)


def find_signature(text: str, lines: list[str]) -> tuple[list[str], str]:
    """(the lines that sign the message, the signer's name or '' when none is readable)."""
    found: list[tuple[int, int]] = []  # first and last line of each
    names: list[str] = []
    for number, line in enumerate(lines):
        stripped = strip_markup(line)
        if not stripped:
            continue
        declarant = _I_NAME.match(stripped)
        if declarant and looks_like_name(declarant.group(1)):
            found.append((number, number))
            names.append(declarant.group(1))
            continue
        if _SIGNED_LINE.search(stripped):
            rest = stripped
            # "Electronic signature: /s/ Name": each prefix goes.
            while (shorter := _SIGNED_PREFIX.sub("", rest, count=1)) != rest:
                rest = shorter
            last = number
            if re.search(r"to sign|signature\s*:?\s*$|signed\s*:?\s*$", stripped, re.IGNORECASE):
                following = next_nonblank(lines, number)
                if following is None:
                    continue
                rest, last = strip_markup(lines[following]), following
            found.append((number, last))
            names.append(rest)
            continue
        if _SIGNATURE_HEADING.search(stripped):
            # "…is allegedly infringed. SIGNATURE" closing a form's text, "Name: …" under it
            following = next_nonblank(lines, number)
            if following is not None:
                name = _NAME_LABEL.sub("", strip_markup(lines[following]))
                if looks_like_name(name):
                    found.append((number, following))
                    names.append(name)
                    continue
        if stripped.rstrip(" ,.:").lower() in _CLOSING_WORDS:
            continue
        sign_off = _SIGN_OFF.match(stripped)
        if sign_off and len(stripped) < 60:
            remainder = _name_part(stripped[sign_off.end() :].strip())
            if remainder and looks_like_name(remainder):
                found.append((number, number))
                names.append(remainder)
                continue
            block = _name_block(lines, number)
            if block:
                found.append((number, block[-1]))
                names.append(_name_part(strip_markup(lines[block[0]])))
    closing = _closing_name(lines, found)
    if closing is not None:
        found.append((closing, closing))
        names.append(strip_markup(lines[closing]))
    return spanning(text, lines, found), _first_name(names)


_SIGNATURE_HEADING = re.compile(r"\bsignature\s*:?\s*$", re.IGNORECASE)
_NAME_LABEL = re.compile(r"^(?:full |legal )?name\s*[:：]\s*", re.IGNORECASE)
# Lines a sign-off may stand above its name: mail written with a blank (or one-space) line
# between every two ("Yours sincerely,\n\n \n\nJane Roe").
_SIGN_OFF_REACH = 6
# Words that close a letter, or head its statement, on a line of their own: never a name.
_CLOSING_WORDS = ("truthfully", "declaration", "respectfully")


def _is_closing(line: str) -> bool:
    sign_off = _SIGN_OFF.match(line)
    return line.rstrip(" ,.:").lower() in _CLOSING_WORDS or bool(
        sign_off and sign_off.end() == len(line)
    )


def _name_block(lines: list[str], number: int) -> list[int]:
    """The name lines under a sign-off ("Sincerely,\\n\\nJane Roe\\nCounsel")."""
    following = next_nonblank(lines, number, _SIGN_OFF_REACH)
    block: list[int] = []
    while following is not None and len(block) < 3:
        candidate = _name_part(strip_markup(lines[following]))
        if not block and _is_closing(candidate):  # "Thank you.\n\nTruthfully,\n/Jane Roe/"
            following = next_nonblank(lines, following, _SIGN_OFF_REACH)
            continue
        if not looks_like_name(candidate) or CONTACT_LABEL.search(candidate):
            break
        block.append(following)
        following = next_nonblank(lines, following, _SIGN_OFF_REACH)
    return block


def _name_part(line: str) -> str:
    """A signature line's name without what follows it on the line: "Jane Roe | Partner",
    "Jane Roe (on behalf of Example Ltd)", "Jane Roe  https://example.com"."""
    if looks_like_name(line):
        return line
    return re.split(r"\s*(?:[|(,、]|\s{2,}|https?://|www\.)", line, maxsplit=1)[0].strip()


def _closing_name(lines: list[str], found: list[tuple[int, int]]) -> int | None:
    """The last line, when it is a typed name (or the mark of a redacted one)."""
    tail = [n for n, line in enumerate(lines) if line.strip()]
    if not tail:
        return None
    last = tail[-1]
    block_start = last
    while block_start > 0 and lines[block_start - 1].strip() and last - block_start < 5:
        block_start -= 1
    first = strip_markup(lines[block_start])
    if block_start != last and looks_like_name(first) and not CONTACT_LABEL.search(first):
        last = block_start
        tail = tail[: tail.index(block_start) + 1]
    if re.match(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s", lines[last]) or lines[last].lstrip().startswith(
        "<"
    ):
        return None  # the end of a list, or "<personal information redacted>": no name
    candidate = strip_markup(lines[last])
    before = strip_markup(lines[tail[-2]]) if len(tail) > 1 else ""
    redacted_only = bool(REDACTED.fullmatch(candidate.strip(" ,.")))
    if (
        looks_like_name(candidate)
        and not candidate.rstrip().endswith((":", ","))
        and not CONTACT_LABEL.search(candidate)
        and (not redacted_only or before.endswith((".", ",")) or not found)
    ):
        return last
    return None


def _first_name(candidates: list[str]) -> str:
    """The first candidate that is a person's name, as typed (no redaction mark)."""
    for candidate in candidates:
        # "/s/ Name" under a sign-off: the name without its mark.
        name = re.sub(r"^\s*/?s/\s*", "", candidate.split(",")[0]).strip(" *_/")
        if name and not REDACTED.search(name) and looks_like_name(name):
            return name[:200]
    return ""


def looks_like_name(value: str) -> bool:
    value = value.strip(" ,.*_/")  # "/Jane Roe/": a typed electronic signature
    if REDACTED.fullmatch(value) or re.fullmatch(r"(?:" + REDACTION + r"\s*)+", value, re.I):
        return True
    if not value or len(value) > 60 or URL_RE.search(value) or EMAIL.search(value):
        return False
    if _ORGANISATION.search(value.split(",")[0]):
        return False
    words = value.replace(",", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    capitalized = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    if not any(w[:1].isupper() for w in words):
        return False
    if not re.search(r"[^\W\d_]", value):
        return False
    if capitalized < len(words) - 1:
        return False
    if re.search(r"\b(?:the|this|that|please|thank|regards|dear|hello|hi)\b", value, re.I):
        return len(words) >= 3 and value[:1].isupper() and "thank" not in value.lower()
    return True
