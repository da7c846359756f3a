"""The six elements of a takedown notice under 17 U.S.C. § 512(c)(3)(A).

Pure and independent of any interface: the public form, the admin checklist, the API and
e-mail intake all pass a `NoticeSubmission` to `check_notice` and read the same answer,
keyed by the element ids of the statute digest.
"""

from dataclasses import dataclass, field

from .locations import Location, LocationError, parse_location

# The statements a complainant agrees to, stored verbatim with each notice.
GOOD_FAITH_STATEMENT = (
    "I have a good faith belief that use of the material in the manner complained of is "
    "not authorized by the copyright owner, its agent, or the law."
)
ACCURACY_STATEMENT = (
    "The information in this notification is accurate, and under penalty of perjury, I am "
    "authorized to act on behalf of the owner of an exclusive right that is allegedly "
    "infringed."
)


@dataclass(frozen=True)
class Element:
    """One thing the statute requires, by the id the whole system uses for it."""

    id: str
    citation: str
    title: str


ELEMENTS = [
    Element("signature", "§ 512(c)(3)(A)(i)", "Signature of a person authorized to act"),
    Element("copyrighted_work", "§ 512(c)(3)(A)(ii)", "The copyrighted work"),
    Element(
        "infringing_material", "§ 512(c)(3)(A)(iii)", "The infringing material and where it is"
    ),
    Element("contact_information", "§ 512(c)(3)(A)(iv)", "How to contact you"),
    Element("good_faith_statement", "§ 512(c)(3)(A)(v)", "Statement of good faith belief"),
    Element("accuracy_statement", "§ 512(c)(3)(A)(vi)", "Statement of accuracy and authority"),
]
ELEMENTS_BY_ID = {element.id: element for element in ELEMENTS}


@dataclass
class Complainant:
    name: str = ""
    organization: str = ""
    acting_as: str = ""  # "owner" or "agent"
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    phone: str = ""
    email: str = ""


@dataclass
class Work:
    description: str
    url: str = ""


@dataclass
class Item:
    location: str
    description: str = ""
    # What parse_location made of `location`: read once per submission, since checking
    # the notice and building its rows both need it. The form passes its own reading in.
    reading: Location | LocationError | None = field(default=None, repr=False, compare=False)

    def read(self) -> Location:
        """The location in normal form, or LocationError saying why not."""
        if self.reading is None:
            try:
                self.reading = parse_location(self.location)
            except LocationError as exc:
                self.reading = exc
        if isinstance(self.reading, LocationError):
            raise self.reading
        return self.reading


@dataclass
class NoticeSubmission:
    complainant: Complainant = field(default_factory=Complainant)
    works: list[Work] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    good_faith_statement: bool = False
    accuracy_statement: bool = False
    signature_name: str = ""
    # The statements as worded in a notice that came by mail; our wording otherwise.
    good_faith_text: str = ""
    accuracy_text: str = ""
    # How the notice reached the agent ("web", "api", "email", "post", "fax"): the forms
    # may ask for more than the statute; a notice that came as a letter is read as sent.
    channel: str = "web"

    @property
    def structured(self) -> bool:
        return self.channel in STRUCTURED_CHANNELS


# Our own forms: the sender fixes what we ask for before sending, so they may ask for more
# than the statute does (an e-mail address, a signature equal to the sender's name).
STRUCTURED_CHANNELS = ("web", "api")


def submission_of(notice) -> NoticeSubmission:
    """A stored case (a notices.models.Notice) as the checks read it. It is handed in, not
    imported: this module stays pure, and the models stay below the rules."""
    return NoticeSubmission(
        complainant=Complainant(
            name=notice.complainant_name,
            organization=notice.complainant_organization,
            acting_as=notice.acting_as,
            street=notice.street,
            city=notice.city,
            region=notice.region,
            postal_code=notice.postal_code,
            country=str(notice.country or ""),
            phone=notice.phone,
            email=notice.email,
        ),
        works=[Work(w.description, w.url) for w in notice.works.all()],
        items=[Item(i.location, i.description) for i in notice.items.all()],
        good_faith_statement=bool(notice.good_faith_statement),
        accuracy_statement=bool(notice.accuracy_statement),
        signature_name=notice.signature_name,
        channel=notice.channel,
    )


@dataclass(frozen=True)
class Problem:
    message: str
    field: str = ""  # the submission field at fault, e.g. "complainant.phone"; "" for all


@dataclass
class ElementCheck:
    element: Element
    problems: list[Problem]
    evidence: str = ""
    # What the agent should know but that does not make the element missing.
    advice: list[str] = field(default_factory=list)

    @property
    def satisfied(self) -> bool:
        return not self.problems


def check_notice(notice: NoticeSubmission) -> list[ElementCheck]:
    """Check each element in statutory order; an element with problems is not satisfied."""
    return [
        ElementCheck(ELEMENTS_BY_ID[element_id], *check(notice))
        for element_id, check in _CHECKS.items()
    ]


def deficiencies(notice: NoticeSubmission) -> list[ElementCheck]:
    return [check for check in check_notice(notice) if not check.satisfied]


# § 512(c)(3)(B)(ii): the three elements whose substantial presence obliges the provider
# to try to obtain a compliant notice.
SUBSTANTIAL = ("copyrighted_work", "infringing_material", "contact_information")


def substantial_gaps(notice: NoticeSubmission) -> list[ElementCheck]:
    """Which of (ii), (iii) and (iv) are missing even on the statute's own reading.

    Read as a letter is read, whatever the channel: one locatable item is enough for (iii)
    and any one way to reach the sender is enough for (iv)."""
    as_sent = NoticeSubmission(**{**notice.__dict__, "channel": "post"})
    checks = check_notice(as_sent)
    return [check for check in checks if check.element.id in SUBSTANTIAL and not check.satisfied]


def substantially_complies(notice: NoticeSubmission) -> bool:
    return not substantial_gaps(notice)


def same_person(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _signature(notice: NoticeSubmission) -> tuple[list[Problem], str, list[str]]:
    """(i) asks for the signature of "a person authorized to act on behalf of the owner".
    Our forms also ask that it equal the sender's name and that the sender say owner or
    agent; a notice that came as a letter gets those as advice to the agent."""
    name = notice.signature_name.strip()
    if not name:
        return (
            [Problem("There is no signature: type your full legal name.", "signature_name")],
            "",
            [],
        )
    checks = []
    if notice.complainant.name.strip() and not same_person(name, notice.complainant.name):
        checks.append(
            Problem(
                "The signature must be the same full name as the person sending the notice "
                f"(“{notice.complainant.name.strip()}”).",
                "signature_name",
            )
        )
    if notice.complainant.acting_as not in ("owner", "agent"):
        checks.append(
            Problem(
                "Say whether you are the copyright owner or acting for the owner.",
                "complainant.acting_as",
            )
        )
    if notice.structured:
        return checks, f"/{name}/", []
    return [], f"/{name}/", [_as_advice(problem.message) for problem in checks]


_ADVICE = {
    "The signature must be": "The signature is not the sender's name",
    "Say whether you are": "The sender does not say whether they are the owner or its agent",
}


def _as_advice(message: str) -> str:
    """A form's request, said to the agent about a notice that came as a letter."""
    for start, advice in _ADVICE.items():
        if message.startswith(start):
            return f"{advice}: check that the signer is authorized to act for the owner."
    return message


def _copyrighted_work(notice: NoticeSubmission) -> tuple[list[Problem], str, list[str]]:
    described = [work.description.strip() for work in notice.works if work.description.strip()]
    if not described:
        return (
            [Problem("Describe at least one copyrighted work that you say is infringed.")],
            "",
            [],
        )
    return [], "; ".join(described[:3]) + (" …" if len(described) > 3 else ""), []


def _infringing_material(notice: NoticeSubmission) -> tuple[list[Problem], str, list[str]]:
    """(iii) asks for information "reasonably sufficient to permit the service provider to
    locate the material": in a notice that came as a letter, the items we can locate are
    acted on and the others are listed as not located; they never fail the notice."""
    items = [item for item in notice.items if item.location.strip()]
    if not items:
        return (
            [Problem("Give at least one location: a web address, host, IP address or path.")],
            "",
            [],
        )
    unreadable = []
    for item in items:
        try:
            item.read()
        except LocationError as exc:
            unreadable.append(Problem(f"“{item.location.strip()[:80]}”: {exc}", "items"))
    located = len(items) - len(unreadable)
    evidence = f"{len(items)} location{'s' if len(items) != 1 else ''}: {items[0].location.strip()}"
    if notice.structured:
        return unreadable, evidence, []
    if not located:
        return (
            [
                Problem(
                    "None of the locations can be read as a web address, host, IP address or path.",
                    "items",
                )
            ],
            "",
            [],
        )
    if unreadable:
        evidence += f" ({located} located, {len(unreadable)} not located)"
    return [], evidence, [f"Not located: {problem.message}" for problem in unreadable]


# (iv): "information reasonably sufficient to permit the service provider to contact the
# complaining party, such as an address, telephone number, and, if available, an
# electronic mail address". Each is one sufficient way to reach the sender.
WAYS_OF_CONTACT = {
    "street": "a postal address",
    "phone": "a telephone number",
    "email": "an e-mail address",
}


def _contact_information(notice: NoticeSubmission) -> tuple[list[Problem], str, list[str]]:
    """Our forms ask for every way of contact; a notice that came as a letter needs one."""
    c = notice.complainant
    if not notice.structured:
        given = [label for name, label in WAYS_OF_CONTACT.items() if getattr(c, name).strip()]
        if not given:
            return (
                [
                    Problem(
                        "Give a postal address, a telephone number or an e-mail address.",
                        "complainant.street",
                    )
                ],
                "",
                [],
            )
        advice = [] if c.email.strip() else ["No e-mail address: letters to the sender go by post."]
        evidence = ", ".join(
            v for v in (c.name, c.street, c.city, c.country, c.phone, c.email) if v
        )
        return [], evidence, advice
    required = {
        "name": "your name",
        "street": "a street address",
        "city": "a city",
        "country": "a country",
        "phone": "a telephone number",
        "email": "an e-mail address",
    }
    problems = [
        Problem(f"Give {label}.", f"complainant.{name}")
        for name, label in required.items()
        if not getattr(c, name).strip()
    ]
    if problems:
        return problems, "", []
    return [], ", ".join(v for v in (c.name, c.city, c.country, c.phone, c.email) if v), []


def _statement(flag: str, text: str, missing: str):
    def check(notice: NoticeSubmission) -> tuple[list[Problem], str, list[str]]:
        return ([], text, []) if getattr(notice, flag) else ([Problem(missing, flag)], "", [])

    return check


_CHECKS = {
    "signature": _signature,
    "copyrighted_work": _copyrighted_work,
    "infringing_material": _infringing_material,
    "contact_information": _contact_information,
    "good_faith_statement": _statement(
        "good_faith_statement",
        GOOD_FAITH_STATEMENT,
        "The notice must state your good faith belief that the use is not authorized.",
    ),
    "accuracy_statement": _statement(
        "accuracy_statement",
        ACCURACY_STATEMENT,
        "The notice must state, under penalty of perjury, that it is accurate and that you "
        "are authorized to act for the owner.",
    ),
}
