"""Mail that says a court action was filed about one of our cases (§ 512(g)(2)(C)).

The reader's kind stays what it is (usually "other"); this only decides whether the
message is urgent: notice of a filed action stops a restoration only if the Designated
Agent receives it before the material is replaced, so it must not wait among other mail.
"""

import re

# "has filed an action seeking a court order", "filed a complaint", "civil action No.
# 1:27-cv-00012", "commenced a lawsuit": an action filed, not merely threatened.
_FILED = re.compile(
    r"\b(?:filed|commenced|brought|initiated)\s+(?:an?\s+|the\s+)?"
    r"(?:action|lawsuit|suit|complaint|civil\s+action|case)\b"
    r"|\b(?:civil\s+action|case)\s+(?:no\.?|number)\s*:?\s*\d+:\d{2}-cv-\d+"
    r"|\b\d+:\d{2}-cv-\d+\b",
    re.IGNORECASE,
)
_THREAT = re.compile(
    r"\b(?:will|may|intend\s+to|plan\s+to|would)\s+(?:file|bring|commence)\b", re.I
)


def says_action_filed(text: str) -> bool:
    """Whether the text says an action was filed (a threat to file one is not enough)."""
    return any(not _THREAT.search(_sentence(text, m.start())) for m in _FILED.finditer(text))


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(".", 0, max(at - 1, 0)), text.rfind("\n", 0, at)) + 1
    end = min((i for i in (text.find(".", at), text.find("\n", at)) if i != -1), default=len(text))
    return text[start:end]
