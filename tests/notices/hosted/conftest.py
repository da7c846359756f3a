from datetime import UTC, datetime

import pytest

from notices.network.intake import network_events_record
from tests.factories import assignment, subscriber

# A Monday: two business days later is Wednesday March 4th 2026.
RECEIVED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
SENDER = "antipiracy@rights-watch.example"


def report(*sightings, received_at=RECEIVED, sender=SENDER, case_id="RW-501"):
    """One network notice: each sighting an (ip, port, ISO moment) at the sender's case id."""
    events = [
        {
            "ip": ip,
            "port": port,
            "timestamp": moment,
            "protocol": "BitTorrent",
            "case_id": f"{case_id}-{n}",
            "complainant": "Lantern Row Records LLC",
            "files": [
                {
                    "title": "Night Roads",
                    "file_name": "Night.Roads.2026.1080p.mkv",
                    "hash": "SHA1:4f2d0a9c3b7e1f5a6d8c9b0e1a2f3d4c5b6a7e8f",
                    "size": "",
                }
            ],
        }
        for n, (ip, port, moment) in enumerate(sightings)
    ]
    return network_events_record(
        events, format="acns", sender=sender, received_at=received_at, now=received_at
    )


@pytest.fixture
def hosting():
    """203.0.113.0/24 on our cloud servers for C-7; 198.51.100.0/24 transit for C-8."""
    cloud = subscriber("C-7", "Blue Lantern Apps LLC")
    transit = subscriber("C-8", "Ridge Fiber Co")
    assignment(cloud, "203.0.113.0/24", "2025-01-01T00:00:00Z", service="hosting")
    assignment(transit, "198.51.100.0/24", "2025-01-01T00:00:00Z")
    return cloud
