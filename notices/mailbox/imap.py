"""The Designated Agent's IMAP mailbox, read by a periodic task (notices.tasks)."""

import imaplib
import time
from datetime import UTC, datetime

from django.conf import settings

from .intake import intake_raw


def mailbox_poll() -> int:
    """Read new mail from the IMAP mailbox; each message is marked seen once stored.

    A message that cannot be read is stored as unreadable and marked seen like any other:
    one bad message never holds up those behind it. A message that cannot be stored at
    all (the database is down) stops the poll before it is marked seen: it and those
    behind it wait for the next poll, and nothing is lost.
    """
    if not settings.IMAP_HOST:
        return 0
    client_class = imaplib.IMAP4_SSL if settings.IMAP_SSL else imaplib.IMAP4
    count = 0
    with client_class(settings.IMAP_HOST, settings.IMAP_PORT) as client:
        client.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
        client.select(settings.IMAP_FOLDER)
        _, found = client.uid("SEARCH", None, "UNSEEN")
        for uid in found[0].split():
            _, parts = client.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
            if not parts or not isinstance(parts[0], tuple):
                continue  # expunged meanwhile by another client
            fetched, raw = parts[0]
            if intake_raw(raw, received_at=_internal_date(fetched)):
                count += 1
            # Only now: a crash before this line leaves the message unseen for the next poll.
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return count


def _internal_date(fetched: bytes) -> datetime | None:
    """The server's INTERNALDATE: when the message reached the mailbox."""
    arrived = imaplib.Internaldate2tuple(fetched)  # a local-time struct_time
    return datetime.fromtimestamp(time.mktime(arrived), tz=UTC) if arrived else None
