"""The mailbox polled while PostgreSQL is down: a message that could not be stored at all
is not marked seen, and the next poll takes it in."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.faults.conftest import fault_env, manage
from tests.notices.mailbox.test_mail_intake import TAKEDOWN

pytestmark = pytest.mark.faults

POLL = "from notices.mailbox.imap import mailbox_poll; print(mailbox_poll())"


def test_mail_polled_while_the_database_is_down_waits_for_the_next_poll(
    smtp_server, redis_server, postgres_server, imap_server, mailbox
):
    env = fault_env(
        smtp_server,
        redis_server,
        DATABASE_URL=postgres_server.url,
        IMAP_HOST=imap_server["host"],
        IMAP_PORT=str(imap_server["port"]),
        IMAP_SSL="false",
        IMAP_USER=imap_server["user"],
        IMAP_PASSWORD=imap_server["password"],
    )
    manage(env, "migrate", "--noinput")
    mailbox.deliver(TAKEDOWN.encode())

    postgres_server.stop()
    command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", POLL]
    down = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert down.returncode != 0 and "OperationalError" in down.stderr
    assert mailbox.unseen() == 1  # not stored, so not marked seen

    postgres_server.start()
    assert manage(env, "shell", "--no-imports", "-c", POLL).strip() == "1"
    assert mailbox.unseen() == 0
    count = "from notices.models import Notice; print(Notice.objects.count())"
    assert manage(env, "shell", "--no-imports", "-c", count).strip() == "1"
