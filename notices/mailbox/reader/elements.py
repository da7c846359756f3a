"""The statements a message makes, each judged one sentence at a time: good faith,
accuracy under penalty of perjury, a sentence about the sender's work; for a counter
notice mistake or misidentification and consent to jurisdiction."""

import re

from .layout import Sentence

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
    """(vi) asks for the accuracy, and the authority *under penalty of perjury*: a sentence
    that says the notice is accurate without the oath does not carry it."""
    if _MISTAKE.search(s):
        return False
    return bool(_PERJURY.search(s))


def mistake(s: str) -> bool:
    return bool(_MISTAKE.search(s) and (MATERIAL.search(s) or _GOOD_FAITH.search(s)))


def jurisdiction(s: str) -> bool:
    return bool(_JURISDICTION.search(s))


def work(s: str) -> bool:
    if _WORK_EXCLUDE.search(s) or _MISTAKE.search(s):
        return False
    return bool(_WORK.search(s))
