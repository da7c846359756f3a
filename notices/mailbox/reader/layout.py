"""How a text is laid out: what of it is read, its lines, headings and sentences."""

import bisect
import re
from dataclasses import dataclass

from .urls import URL_RE

EVIDENCE_LIMIT = 300
# What one message may cost to read. Every step is linear in the text's length, and the
# text is cut at these; what was left out is said in the reading (the original is kept).
READ_MAX_CHARS = 500_000  # twice the longest notice in the corpus of published ones


def readable(text: str) -> tuple[str, list[str]]:
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


@dataclass
class Sentence:
    text: str
    start: int
    end: int
    line: int


def strip_markup(line: str) -> str:
    line = re.sub(r"^\s{0,3}(?:#{1,6}\s*|>\s*)", "", line)
    line = re.sub(r"^\s*(?:[-*+•·]|\d{1,3}[.)、]|\(\w\))\s+", "", line)
    line = line.replace("**", "").replace("__", "")
    return line.strip()


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences: paragraphs (blank lines, list items, labels) joined across
    hard wraps, then split at sentence ends."""
    out: list[Sentence] = []
    lines = text.split("\n")
    offset = 0
    block: list[tuple[int, str, int]] = []

    def flush():
        if not block:
            return
        start = block[0][0]
        end = block[-1][0] + len(block[-1][1])
        chunk = text[start:end]
        pieces = re.split(
            r"(?<=[.!?。！？])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-Z0-9]|\[(?:[Pp]rivate|[Rr]edacted)\])",
            chunk,
        )
        pos = start
        for piece in pieces:
            idx = text.find(piece, pos)
            if idx < 0:
                idx = pos
            if piece.strip():
                out.append(Sentence(piece.strip(), idx, idx + len(piece), block[0][2]))
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


def trim(evidence: str) -> str:
    evidence = re.sub(r"\s+", " ", evidence).strip()
    if len(evidence) > EVIDENCE_LIMIT:
        evidence = evidence[: EVIDENCE_LIMIT - 1].rstrip() + "…"
    return evidence


def is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if re.match(r"^\s{0,3}#{1,6}\s", line):
        return True
    plain = URL_RE.sub("", stripped).strip()
    if stripped.startswith("**") and stripped.rstrip(" :").endswith("**"):
        return True
    if URL_RE.search(stripped):
        return False
    if plain.endswith(":") and len(plain) < 300:
        return True
    return bool(plain.endswith("?") and len(plain) < 400)


class Lines:
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

    def is_heading(self, number: int) -> bool:
        if number not in self._headings:
            self._headings[number] = is_heading(self.lines[number])
        return self._headings[number]

    def has_url(self, number: int) -> bool:
        if number not in self._with_url:
            self._with_url[number] = bool(URL_RE.search(self.lines[number]))
        return self._with_url[number]


def spanning(text: str, lines: list[str], ranges: list[tuple[int, int]]) -> list[str]:
    """The slice of text running from the first to the last line of each range."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return [text[starts[first] : starts[last] + len(lines[last])] for first, last in ranges]


def next_nonblank(lines: list[str], number: int, reach: int = 3) -> int | None:
    for following in range(number + 1, min(len(lines), number + reach + 1)):
        if lines[following].strip():
            return following
    return None
