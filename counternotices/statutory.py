"""The four requirements of a counter notice under 17 U.S.C. § 512(g)(3).

Pure, like `notices.core.statutory`: the public form, the admin log page and e-mail intake
pass a `CounterNoticeSubmission` to `check_counter_notice` and read one answer per
element id of the statute digest.
"""

from dataclasses import dataclass, field

from django.conf import settings

from notices.core.statutory import Element, ElementCheck, Problem, same_person

MISTAKE_STATEMENT = (
    "I swear, under penalty of perjury, that I have a good faith belief that the material "
    "identified above was removed or disabled as a result of mistake or misidentification "
    "of the material to be removed or disabled."
)


# 17 U.S.C. § 101: "the United States", in a geographical sense, "comprises the several
# States, the District of Columbia and the Commonwealth of Puerto Rico, and the organized
# territories under the jurisdiction of the United States Government": each of these has
# a federal district court. American Samoa and the minor outlying islands are unorganized.
UNITED_STATES = frozenset({"US", "PR", "GU", "VI", "MP"})


def consent_statement(country: str) -> str:
    """The consent to jurisdiction that fits the subscriber's address (§ 512(g)(3)(D))."""
    service = (
        "and I will accept service of process from the person who provided notification "
        "under 17 U.S.C. § 512(c)(1)(C) or an agent of such person."
    )
    if country.upper() in UNITED_STATES:
        return (
            "I consent to the jurisdiction of the Federal District Court for the judicial "
            f"district in which my address is located, {service}"
        )
    agent = settings.DESIGNATED_AGENT["organization"]
    return (
        "My address is outside the United States. I consent to the jurisdiction of any "
        f"judicial district in which {agent} may be found, including the "
        f"{settings.PROVIDER_JUDICIAL_DISTRICT}, {service}"
    )


ELEMENTS = [
    Element("signature", "§ 512(g)(3)(A)", "Your signature"),
    Element("material_identification", "§ 512(g)(3)(B)", "The material and where it appeared"),
    Element("mistake_statement", "§ 512(g)(3)(C)", "Statement of mistake or misidentification"),
    Element(
        "consent_to_jurisdiction",
        "§ 512(g)(3)(D)",
        "Your contact details and consent to jurisdiction",
    ),
]
ELEMENTS_BY_ID = {element.id: element for element in ELEMENTS}


@dataclass
class CounterNoticeSubmission:
    name: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""
    locations: list[str] = field(default_factory=list)  # the items it covers
    mistake_statement: bool = False
    consent_to_jurisdiction: bool = False
    signature_name: str = ""
    # Filed for a company or other organisation named in `name`: a person who acts for it
    # signs, so the signature is that person's name, not the company's.
    signed_for_organization: bool = False


def check_counter_notice(counter: CounterNoticeSubmission) -> list[ElementCheck]:
    return [
        ElementCheck(ELEMENTS_BY_ID[element_id], *check(counter))
        for element_id, check in _CHECKS.items()
    ]


def deficiencies(counter: CounterNoticeSubmission) -> list[ElementCheck]:
    return [check for check in check_counter_notice(counter) if not check.satisfied]


def _signature(counter: CounterNoticeSubmission) -> tuple[list[Problem], str]:
    name = counter.signature_name.strip()
    if not name:
        return [Problem("There is no signature: type your full legal name.", "signature_name")], ""
    if (
        counter.name.strip()
        and not counter.signed_for_organization
        and not same_person(name, counter.name)
    ):
        return [
            Problem(
                "The signature must be the same full name as given above "
                f"(“{counter.name.strip()}”), unless you sign for a company named there.",
                "signature_name",
            )
        ], ""
    return [], f"/{name}/"


def _material(counter: CounterNoticeSubmission) -> tuple[list[Problem], str]:
    locations = [location for location in counter.locations if location.strip()]
    if not locations:
        return [Problem("Choose the material this counter notice is about.", "locations")], ""
    return [], "; ".join(locations[:3]) + (" …" if len(locations) > 3 else "")


def _mistake(counter: CounterNoticeSubmission) -> tuple[list[Problem], str]:
    if not counter.mistake_statement:
        return [
            Problem(
                "The counter notice must state, under penalty of perjury, your good faith "
                "belief that the material was removed by mistake or misidentification.",
                "mistake_statement",
            )
        ], ""
    return [], MISTAKE_STATEMENT


def _consent(counter: CounterNoticeSubmission) -> tuple[list[Problem], str]:
    required = {
        "name": "your name",
        "street": "a street address",
        "city": "a city",
        "country": "a country",
        "phone": "a telephone number",
    }
    problems = [
        Problem(f"Give {label}.", name)
        for name, label in required.items()
        if not getattr(counter, name).strip()
    ]
    if not counter.consent_to_jurisdiction:
        problems.append(
            Problem(
                "The counter notice must consent to the court's jurisdiction and to accept "
                "service of process.",
                "consent_to_jurisdiction",
            )
        )
    if problems:
        return problems, ""
    return [], consent_statement(counter.country)


_CHECKS = {
    "signature": _signature,
    "material_identification": _material,
    "mistake_statement": _mistake,
    "consent_to_jurisdiction": _consent,
}
