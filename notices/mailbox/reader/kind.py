"""What a message is: a takedown, a counter notice, a retraction, or other mail."""

import re

from . import elements
from .layout import Sentence
from .urls import URL_RE, extract_urls, is_help_link

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


def kind_of(text: str, sentences: list[Sentence]) -> str:
    body = URL_RE.sub(" ", text)
    head = body[:600]
    counter_hits = len(_COUNTER_TERMS.findall(body))
    mistake = any(elements.mistake(s.text) for s in sentences)
    jurisdiction = any(elements.jurisdiction(s.text) for s in sentences)
    good_faith = any(elements.good_faith(s.text) for s in sentences)
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


def _has_sender_statements(sentences: list[Sentence]) -> bool:
    gf = any(
        elements.good_faith(s.text) and re.search(r"\b(?:i|we)\b", s.text, re.I) for s in sentences
    )
    acc = any(
        elements.accuracy(s.text) and re.search(r"\b(?:i|we)\b", s.text, re.I) for s in sentences
    )
    return gf and acc
