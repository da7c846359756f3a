"""What a message is: a takedown, a counter notice, a retraction, or other mail.

A notice is a filled-in letter: someone who claims a right (or whose material was removed)
writes to the provider about specific material, in the first person. A text *about*
notices (a policy, a guide, a blank template, a provider's reply, a transparency report)
speaks to "you", leaves blanks to fill, or answers a notice; a trademark, privacy or abuse
demand is about another right, even when it says "DMCA" once. Each of these is "other".
The decision comes with the sentence that carried it, so the agent can see why.
"""

import re

from . import elements
from .layout import Sentence, trim
from .urls import URL_RE, extract_urls, is_help_link, provider_domains

_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I've|I'd|me|my|we|we're|we've|us|our|the undersigned|(?:my|our) client)\b",
    re.IGNORECASE,
)
# "your notice must include", "a statement that you consent", "if you believe": words
# that tell a reader what to write, not what the writer states.
_INSTRUCTION = re.compile(
    r"\b(?:a|the|your|such) (?:\w+ ){0,3}(?:notices?|notifications?|complaints?|requests?) "
    r"(?:must|should|shall|need to|has to|will need to) (?:include|contain|be|have|state)|"
    r"\b(?:must|should|shall) (?:also )?(?:include|contain)\b|"
    r"\ba (?:\w+ ){0,2}statement (?:that|by (?:you|the))|"
    r"\bif you(?:'re| are| have| believe| think| feel| want| wish| would like| received?| "
    r"are not sure| do not| don't| just)\b|"
    r"\byou(?:'ll| will)? (?:must|should|need to|may|can|might|have to|will need to|'ll need)"
    r" (?:\w+ ){0,2}(?:include|provide|send|submit|file|contact|use|consider|write|fill|"
    r"give|sign|state|swear|consent|want|also|be|check|follow|learn|find|read|click|go)\b|"
    r"\b(?:how to|steps? to|when to|why (?:you|a|the)) (?:\w+ ){0,3}(?:send|file|submit|write|"
    r"respond|answer|issue|use|counter|contest|deal)|"
    r"\b(?:you|your) (?:have|has) (?:the option|options|the right) to\b|"
    r"\bwhat (?:is|happens|to do|should|can)\b.{0,80}\?|"
    r"\binclude (?:the following|this|a|these) (?:\w+ )?statements?\b|^\W*step \d+\b|"
    r"\b(?:this|our) (?:guide|article|page|post|policy|document) (?:explains|describes|covers|"
    r"will|is meant|is intended)|\bour designated agent (?:is|for)\b|repeat infringer policy|"
    r"\bwe (?:will|may) (?:respond to|terminate|remove|disable|forward) (?:\w+ ){0,2}"
    r"(?:notices|accounts|content|material|the)\b|"
    r"\bif (?:the|a) (?:user|uploader|subscriber|recipient|sender|claimant) (?:who \w+ .{0,60})?"
    r"(?:believes|thinks|feels|wants|disagrees)\b|"
    r"\b(?:users?|creators?|copyright (?:owners?|holders?)|rights? ?holders?|complainants?|"
    r"claimants?|the (?:complaining|other) party) (?:can|may|must|should|will|who)\b",
    re.IGNORECASE,
)
# A provider answering a notice or writing to its user about a case.
_REPLY = re.compile(
    r"\b(?:your|the) (?:\w+ ){0,2}(?:notice|notification|counter[- ]?notice|"
    r"counter[- ]?notification|request|complaint|report|appeal|claim) (?:has|have|was|were) "
    r"(?:been )?(?:received|reviewed|processed|forwarded|rejected|accepted|completed)|"
    r"\bwe(?:'ve| have)? (?:received|reviewed|completed|processed|finished) (?:processing |"
    r"reviewing )?(?:your|a|an|the)\b|\b(?:has|have) been notified\b|"
    r"\b(?:this|the|your) (?:content|video|material|post|item|app|page|site) (?:has been|was) "
    r"(?:restored|removed|disabled|reinstated|reset|taken down)|"
    r"\bthanks? (?:you )?for (?:contacting|your (?:notice|report|request|message|e-?mail))|"
    r"\bwe(?:'ve| have) (?:disabled|removed|restored|reinstated|suspended|taken down|"
    r"forwarded|notified|reset)\b|"
    r"\byour (?:item|app|application|video|content|account|post|site|blog|repository|"
    r"upload|channel|extension|listing|product|material)\b(?:,? [\"“'].{1,60}[\"”'],?)? "
    r"(?:has been|have been|was|were|is|violated|did not|does not)\b|"
    r"\b(?:dear|hi|hello) (?:developer|user|customer|creator|publisher|there)\b|"
    r"\bdo not reply to this|\bout of (?:the )?office|auto(?:matic|mated)?[- ]?(?:reply|response)",
    re.IGNORECASE,
)
_TRANSPARENCY = re.compile(
    r"transparency report|\bthis report\b|(?:requests|notices|claims|demands) we (?:have )?"
    r"(?:received|receive|processed|get)\b|\bwe (?:received|processed|complied with|rejected) "
    r"(?:\w+ ){0,3}[\d,]+ |\b\d{1,3}(?:\.\d)?\s?%|\b(?:in|during|of) (?:the (?:first|second) "
    r"half of )?(?:19|20)\d\d,? we\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"\[(?:your |full |insert |enter )?(?:name|signature|address|e-?mail|phone|telephone|url|"
    r"date|company|title|work|description|urls?|link)[^\]]{0,30}\]|"
    r"<(?:insert|enter|your|describe|list|add) [^>]{1,60}>|\{\{[^}]{1,40}\}\}|"
    r"\[(?:insert|enter|describe|list|add) [^\]]{1,60}\]|\bx{3,}@|"
    r"\((?:insert|enter|include|list|describe|add) [^)]{1,60}\)|[^\s_][ \t]*_{4,}|"
    r"\b(?:YOUR|FULL) (?:NAME|ADDRESS)\b|^\s*[-*] \[ \] |<!--",
    re.IGNORECASE | re.MULTILINE,
)
_COPYRIGHT = re.compile(
    r"copy ?rights?|\bdmca\b|512\s*\(c\)|infring|pira(?:cy|ted)|urheberrecht|raubkopi|"
    r"droits? d'auteur|derechos de autor|著作権",
    re.IGNORECASE,
)
# Only these count against another right's words: "infringe" and "DMCA" serve both.
_COPYRIGHT_ONLY = re.compile(
    r"copy ?rights?|pira(?:cy|ted)|urheberrecht|raubkopi|droits? d'auteur|derechos de autor|著作権",
    re.IGNORECASE,
)
# What a sender's redaction leaves: "<personal information hidden>" speaks of no right.
_REDACTION_NOTE = re.compile(
    r"<[^<>\n]{0,40}(?:hidden|redacted|removed|private)[^<>\n]{0,20}>", re.IGNORECASE
)
_OTHER_RIGHT = re.compile(
    r"trade ?marks?|\blanham\b|counterfeit|\bbrand(?:ing)?\b|likelihood of confusion|"
    r"privacy|personal (?:data|information)|\bgdpr\b|erasure|right to be forgotten|defam\w*|"
    r"data protection|libel|slander|harass\w*|"
    r"phishing|\bspam\w*|malware|\bddos\b|botnet|port ?scan\w*|\bscann\w+|brute[- ]?force|"
    r"open (?:dns )?resolver|null-?route|abuse (?:report|complaint|team|department)",
    re.IGNORECASE,
)
_NOTICE_WORDS = re.compile(
    r"takedown|take down|remove|removal|disable|infring|unauthori[sz]ed|pirat|lösch|entfern|"
    r"supprim|retir|elimin|削除",
    re.IGNORECASE,
)
_COUNTER_TERMS = re.compile(r"counter[- ]?(?:n+otice|notification|claim)", re.IGNORECASE)
_RETRACT = re.compile(
    r"\b(?:retract|withdraw|rescind|revoke|cancel|recall)(?:s|ed|ing)?\b (?:\w+ ){0,5}"
    r"(?:notice|takedown|take-down|claim|complaint|request|notification|counter[- ]?\w+)|"
    r"\b(?:notice|takedown|take-down|claim|complaint|request|notification) (?:\w+ ){0,6}"
    r"(?:is|be|are|has been|should be) (?:hereby )?(?:retracted|withdrawn|rescinded|revoked|"
    r"cancell?ed|void)|"
    r"\bno longer (?:request|seek|require|pursue|wish to pursue|want to pursue|object to)\b|"
    r"\bno longer (?:want|wish|need) (?:\w+ ){0,5}(?:removed|taken down|disabled|blocked)|"
    r"\b(?:please )?(?:disregard|ignore) (?:my|our|the) (?:\w+ ){0,2}(?:notice|takedown|"
    r"request|complaint|e-?mail)|"
    r"\b(?:hereby |would like to |wish to |want to |we |i )(?:retract|withdraw|rescind|revoke)\b",
    re.IGNORECASE,
)
_REINSTATE = re.compile(
    r"\b(?:re-?instate|restore|re-?enable|put back|reactivate|unblock) (?:\w+ ){0,4}"
    r"(?:repositor|content|material|site|page|file|access|video|account|project|package)",
    re.IGNORECASE,
)
_COURT_ACTION = re.compile(
    r"\b(?:filed|commenced|brought|initiated|instituted) (?:an? |the |our )?(?:\w+ )?"
    r"(?:action|lawsuit|suit|complaint|case|proceedings?)\b|\b(?:restraining|court) order\b",
    re.IGNORECASE,
)
_REJECTION = re.compile(
    r"(?:we|the provider|[A-Z]\w+) (?:has|have) (?:decided|determined) (?:to reject|that this "
    r"(?:notice|counter))|rejects? (?:this|the) (?:counter[- ]?)?notice",
    re.IGNORECASE,
)


def kind_of(text: str, sentences: list[Sentence]) -> tuple[str, str]:
    """The kind, and the sentence that decided it (empty when nothing in particular did)."""
    body = URL_RE.sub(" ", text)
    instructions = [s for s in sentences if _INSTRUCTION.search(s.text)]
    stated = _statements(sentences, instructions)
    sworn = stated["good_faith"] and stated["accuracy"]
    about = _about_notices(text, sentences, stated, instructions)
    if about:
        return "other", about
    cover = _cover_note(body, sentences, stated)
    if cover:
        return "other", f"{COVER_NOTE} {cover}"
    retract = [s for s in stated["retract"] if s.start < max(800, len(text) // 3)]
    if retract and not (stated["mistake"] and stated["jurisdiction"]):
        return "retraction", trim(retract[0].text)
    court = _COURT_ACTION.search(body)
    if court and _COUNTER_TERMS.search(body) and not stated["mistake"]:
        # The complainant answering a counter notice with a lawsuit (§ 512(g)(2)(C)):
        # mailbox routing reads it as such; as a letter it is neither notice.
        return "other", _sentence_at(sentences, court.start())
    rejection = _REJECTION.search(body)
    if rejection:  # the provider rejecting a notice it had published
        return "other", _sentence_at(sentences, rejection.start())
    counter = _counter(text, sentences, stated)
    if counter:
        return "counter_notice", counter
    topic = _other_right(body)
    if topic:
        return "other", topic
    if not (_COPYRIGHT.search(body) or _NOTICE_WORDS.search(body)):
        return "other", ""
    if sworn or _ASKED.search(body) or _material_urls(text):
        return "takedown", ""
    return "other", "It asks for nothing to be removed and names no material."


COVER_NOTE = "A cover note: the notice is in an attachment."
# "Please see the attached notice", "Our DMCA notice is enclosed": the notice itself travels
# as an attachment (the mailbox reads those).
_ATTACHED = re.compile(r"\b(?:attach(?:ed|ment|ments|ing)?|enclos(?:ed|ure|ing))\b", re.IGNORECASE)
_NOTICE_NOUN = re.compile(
    r"\b(?:notices?|notifications?|letters?|complaints?|takedown|take-down|documents?|pdf|"
    r"claims?|demands?|requests?)\b",
    re.IGNORECASE,
)
# A cover note is a few lines; a letter this long says its own piece whatever it attaches.
_COVER_NOTE_MAX_WORDS = 120


def _cover_note(body: str, sentences: list[Sentence], stated) -> str:
    """The sentence that sends the notice as an attachment, when the text carries no notice
    of its own (no sworn statements, no counter notice, a few lines), else ''."""
    if (stated["good_faith"] and stated["accuracy"]) or stated["mistake"]:
        return ""
    if len(re.findall(r"[^\W\d_]{2,}", body)) > _COVER_NOTE_MAX_WORDS:
        return ""
    for sentence in sentences:
        attached = _ATTACHED.search(sentence.text)
        if attached and _NOTICE_NOUN.search(sentence.text):
            return trim(sentence.text)
    return ""


# A sender asking, claiming or notifying in its own words.
_ASKED = re.compile(
    r"\b(?:please|kindly|hereby|we (?:ask|request|demand|require)|i (?:ask|request|demand)|"
    r"(?:i|we) (?:am|are) writing|(?:i|we) (?:own|represent|hold)|on behalf of|bitte|merci de|"
    r"por favor)\b",
    re.IGNORECASE,
)


def _material_urls(text: str) -> bool:
    """Whether the text gives a URL other than a help or policy page."""
    ours = provider_domains()
    return any(not is_help_link(u, ours) for u in extract_urls(text))


def _statements(sentences: list[Sentence], instructions: list[Sentence]) -> dict:
    """The sentences in which the writer states something itself (not told what to state)."""
    own = []
    told = False  # the sentence before asked for the statement that follows ("…statement:")
    instructed = {id(sentence) for sentence in instructions}
    for sentence in sentences:
        instruction = id(sentence) in instructed
        if not instruction and not told:
            own.append(sentence)
        told = instruction and sentence.text.rstrip(" *_").endswith(":")
    first = [s for s in own if _FIRST_PERSON.search(s.text)]
    return {
        "good_faith": [s for s in own if elements.good_faith(s.text)],
        "accuracy": [s for s in own if elements.accuracy(s.text)],
        "mistake": [s for s in first if elements.mistake(s.text)],
        "jurisdiction": [s for s in first if elements.jurisdiction(s.text)],
        "retract": [
            s
            for s in first
            if _RETRACT.search(s.text) and not re.search(r"\bconsent\b", s.text, re.I)
        ],
        "reinstate": [s for s in first if _REINSTATE.search(s.text)],
    }


def _about_notices(text: str, sentences: list[Sentence], stated, instructions) -> str:
    """The sentence showing that the text is about notices rather than one, else ''."""
    placeholders = list(_PLACEHOLDER.finditer(text))
    if len(placeholders) >= 2 or (placeholders and not _real_urls(text)):
        return _sentence_at(sentences, placeholders[0].start()) or placeholders[0].group()
    sworn = stated["good_faith"] and stated["accuracy"]
    countered = stated["mistake"] and stated["jurisdiction"]
    replies = [s for s in sentences[:6] if _REPLY.search(s.text)]
    if replies and not sworn and not countered:
        return trim(replies[0].text)
    reports = [s for s in sentences if _TRANSPARENCY.search(s.text)]
    for found in (instructions, reports):
        if len(found) >= 2 and not sworn and not countered:
            return trim(found[0].text)
    # A long guide or policy quotes the statements it explains; it tells far more.
    if len(instructions) >= 6 and len(instructions) > 2 * _own_count(stated):
        return trim(instructions[0].text)
    # Advice speaks to its reader throughout; a notice says "you" of the provider now and then.
    spoken_to = [
        s
        for s in sentences
        if _YOU.search(s.text)
        and not _PROVIDER_YOU.search(s.text)
        and not s.text.rstrip(" *_").endswith(("?", ":"))  # a form's question, answered
    ]
    if len(spoken_to) >= 6 and not sworn and not countered:
        return trim(spoken_to[0].text)
    return ""


_YOU = re.compile(r"\byou(?:r|'re|'ve|'ll)?\b", re.IGNORECASE)
# "your site", "your network": the provider addressed by a notice.
_PROVIDER_YOU = re.compile(
    r"\byour (?:\w+ )?(?:site|website|network|servers?|service|platform|system|company|"
    r"records|attention|cooperation|assistance|help|prompt|earliest)\b|\bthank you\b",
    re.IGNORECASE,
)


def _real_urls(text: str) -> bool:
    """Whether a URL in the text is no help page and no example filled in by a form."""
    ours = provider_domains()
    return any(not is_help_link(u, ours) and "example" not in u for u in extract_urls(text))


def _own_count(stated) -> int:
    return sum(len(found) for found in stated.values())


def _counter(text: str, sentences: list[Sentence], stated) -> str:
    mistake, jurisdiction = stated["mistake"], stated["jurisdiction"]
    if mistake and jurisdiction:
        return trim(mistake[0].text)
    named = _COUNTER_TERMS.search(text[:600]) or len(_COUNTER_TERMS.findall(text)) >= 2
    if named and (mistake or jurisdiction) and not stated["good_faith"]:
        return trim((mistake or jurisdiction)[0].text)
    if named and stated["reinstate"] and (mistake or jurisdiction):
        return trim(stated["reinstate"][0].text)
    title = _COUNTER_TERMS.search(text[:300])
    if title and not stated["good_faith"] and _ASKED.search(text):
        # "DMCA Counter-Notification" as its title, written by the user in its own words.
        return _sentence_at(sentences, title.start()) or title.group()
    return ""


def _other_right(body: str) -> str:
    """The words showing a demand about another right (trademark, privacy, abuse) when
    they outnumber the words about copyright, else ''."""
    body = _REDACTION_NOTE.sub(" ", body)
    other = _OTHER_RIGHT.findall(body)
    if len(other) > len(_COPYRIGHT_ONLY.findall(body)):
        words = ", ".join(dict.fromkeys(word.lower() for word in other[:3]))
        return f"It is about {words}, not copyright."
    return ""


def _sentence_at(sentences: list[Sentence], index: int) -> str:
    for sentence in sentences:
        if sentence.start <= index < max(sentence.end, sentence.start + 1):
            return trim(sentence.text)
    return ""
