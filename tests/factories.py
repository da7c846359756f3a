"""Valid notices to start from; each test changes only what it is about."""

import dataclasses

from notices.core import statutory


def submission(**changes) -> statutory.NoticeSubmission:
    notice = statutory.NoticeSubmission(
        complainant=statutory.Complainant(
            name="Maria Okafor",
            organization="Lantern Row Records LLC",
            acting_as="agent",
            street="410 Harbor Avenue, Floor 3",
            city="Brooklyn",
            region="NY",
            postal_code="11201",
            country="US",
            phone="+17185550143",
            email="m.okafor@lanternrow.example",
        ),
        works=[statutory.Work("Album “Night Roads” by The Quiet Ferries (2024)")],
        items=[
            statutory.Item("https://files.example-host.net/share/night-roads.zip"),
            statutory.Item("198.51.100.23", "FTP server with the full album"),
        ],
        good_faith_statement=True,
        accuracy_statement=True,
        signature_name="Maria Okafor",
    )
    contact = {name: changes.pop(name) for name in list(changes) if name in _COMPLAINANT_FIELDS}
    notice.complainant = _changed(notice.complainant, contact)
    return _changed(notice, changes)


_COMPLAINANT_FIELDS = {field.name for field in dataclasses.fields(statutory.Complainant)}


def _changed(record, changes: dict):
    """`record` with `changes`; a key that names no field (a typo) is an error, not a no-op."""
    unknown = set(changes) - {field.name for field in dataclasses.fields(record)}
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {', '.join(sorted(unknown))}")
    return dataclasses.replace(record, **changes)


def form_data(**changes) -> dict:
    """What a browser posts for a complete notice: two works and two locations."""
    data = {
        "complainant_name": "Maria Okafor",
        "complainant_organization": "Lantern Row Records LLC",
        "acting_as": "agent",
        "street": "410 Harbor Avenue, Floor 3",
        "city": "Brooklyn",
        "region": "NY",
        "postal_code": "11201",
        "country": "US",
        "phone": "(718) 555-0143",
        "email": "m.okafor@lanternrow.example",
        "works-TOTAL_FORMS": "2",
        "works-INITIAL_FORMS": "0",
        "works-0-description": "Album “Night Roads” by The Quiet Ferries (2024)",
        "works-0-url": "https://lanternrow.example/albums/night-roads",
        "works-1-description": "Single “Harbor Lights”",
        "works-1-url": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-location": "https://files.example-host.net/share/night-roads.zip",
        "items-0-description": "Full album as a ZIP",
        "items-1-location": "198.51.100.23",
        "items-1-description": "",
        "locations_bulk": "",
        "good_faith_statement": "on",
        "accuracy_statement": "on",
        "signature_name": "Maria Okafor",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def api_notice(**changes) -> dict:
    """What an API sender posts for a complete notice: one work and one location."""
    notice = {
        "complainant": {
            "name": "Sam Okoye",
            "organization": "Northwind Anti-Piracy Services",
            "acting_as": "agent",
            "email": "notices@northwind-aps.example",
            "phone": "+1 646 555 0102",
            "address": {
                "street": "500 Seventh Avenue, 12th Floor",
                "city": "New York",
                "region": "NY",
                "postal_code": "10018",
                "country": "US",
            },
        },
        "works": [
            {
                "description": "Film “Glass Harbor” (2025)",
                "url": "https://studio.example/glass-harbor",
            }
        ],
        "infringing_material": [
            {
                "location": "https://files.example-host.net/glass-harbor.mkv",
                "description": "full film",
            }
        ],
        "good_faith_statement": True,
        "accuracy_statement": True,
        "signature": {"name": "Sam Okoye"},
    }
    notice.update(changes)
    return notice


def web_notice(now=None, **changes):
    """A complete notice filed through the web form, as the service stores it."""
    from notices.core.intake import notice_submit
    from notices.models import Channel

    return notice_submit(
        submission=submission(**changes), channel=Channel.WEB, actor="public form", now=now
    )


def subscriber(account_id="C-1001", name="Harbor Cloud Hosting Ltd", resources=()):
    """A customer with network resources given as ("domain"|"host"|"network", value)."""
    from notices.core.subscribers import network_range
    from notices.models import NetworkResource, Subscriber

    customer = Subscriber.objects.create(
        account_id=account_id,
        name=name,
        notice_email=f"abuse+{account_id.lower()}@harbor-cloud.example",
        street="88 Pier Road",
        city="Jersey City",
        region="NJ",
        postal_code="07302",
        country="US",
    )
    for kind, value in resources:
        first = last = None
        if kind == "network":
            first, last = network_range(value)
        NetworkResource.objects.create(
            subscriber=customer, kind=kind, value=value, first_address=first, last_address=last
        )
    return customer


def notified_case(now=None):
    """A case taken down and its subscriber notified: (notice, notification)."""
    from notices.core import cases

    harbor = subscriber("C-1", "Harbor Cloud", [("domain", "example-host.net")])
    notice = web_notice(now=now)
    cases.notice_accept(notice_id=notice.id, actor="agent", now=now)
    item = notice.items.get(subscriber=harbor)
    cases.notice_disable_material(
        notice_id=notice.id, actions={item.id: "access_disabled"}, actor="agent", now=now
    )
    return notice, notice.notifications.get()


def counter_submission(**changes):
    from counternotices.statutory import CounterNoticeSubmission

    counter = CounterNoticeSubmission(
        name="Dana Whitfield",
        street="12 Orchard Lane",
        city="Burlington",
        region="VT",
        postal_code="05401",
        country="US",
        phone="+18025550177",
        email="dana@whitfield.example",
        locations=["https://files.example-host.net/share/night-roads.zip"],
        mistake_statement=True,
        consent_to_jurisdiction=True,
        signature_name="Dana Whitfield",
    )
    return _changed(counter, changes)


def counter_form_data(item_id, **changes):
    data = {
        "items": [str(item_id)],
        "name": "Dana Whitfield",
        "street": "12 Orchard Lane",
        "city": "Burlington",
        "region": "VT",
        "postal_code": "05401",
        "country": "US",
        "phone": "(802) 555-0177",
        "email": "dana@whitfield.example",
        "mistake_statement": "on",
        "consent_to_jurisdiction": "on",
        "signature_name": "Dana Whitfield",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def counter_notice(notice, notification, item, now=None, **changes):
    """The subscriber's counter notice on a notified case, filed on the web form."""
    from counternotices.services import counter_notice_submit
    from notices.models import Channel

    return counter_notice_submit(
        notice_id=notice.id,
        subscriber_id=notification.subscriber_id,
        item_ids=[item.id],
        submission=counter_submission(**changes),
        channel=Channel.WEB,
        actor="subscriber",
        now=now,
    )


def mailed_takedown(address_line: str, signed: str = "/s/ Maria Okafor", message_id="t1") -> bytes:
    """A takedown e-mail from a rights desk, its address on one line, signed as given."""
    return f"""\
From: Rights Desk <desk@lanternrow.example>
To: copyright@iij-america.com
Subject: DMCA takedown notice
Message-ID: <{message_id}@lanternrow.example>

Dear Designated Agent,

Our client Lantern Row Records LLC owns the copyright in the album "Night Roads" (2024).

Infringing material:
https://files.example-host.net/share/night-roads.zip

I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.

The information in this notification is accurate, and under penalty of perjury, I am
authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.

Address: {address_line}
Phone: +1 718 555 0143

{signed}
""".encode()
