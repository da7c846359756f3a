import asyncio
import email
import email.policy
import grp
import html
import imaplib
import io
import os
import pwd
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent

# What DMCA_TEST_SKIP may name: each leaves out the tests that need it (README).
TOOLS = {"chromium", "dovecot", "node", "postgresql", "redis"}


def needs(tool: str, present: bool = True, install: str = "") -> None:
    """A test that needs `tool`: skipped when DMCA_TEST_SKIP names it, and otherwise failed
    when the tool is missing, saying how to install it. Never skipped quietly."""
    if tool in settings.TEST_SKIP:
        pytest.skip(f"DMCA_TEST_SKIP leaves out {tool}")
    if not present:
        pytest.fail(
            f"Needs {tool}: {install}. `make test` installs what the tests need; or leave "
            f"these tests out: DMCA_TEST_SKIP={tool}",
            pytrace=False,
        )


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    """Stop at once, saying what to do, when the suite's servers do not answer."""
    unknown = settings.TEST_SKIP - TOOLS
    if unknown:
        pytest.exit(
            f"DMCA_TEST_SKIP names {', '.join(sorted(unknown))}; it knows "
            f"{', '.join(sorted(TOOLS))}",
            returncode=2,
        )
    down = []
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        address = database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)
        if not _answers(*address):
            down.append("PostgreSQL on {}:{}".format(*address))
    broker = urlsplit(settings.CELERY_BROKER_URL)
    if broker.scheme == "redis" and not _answers(broker.hostname, broker.port or 6379):
        down.append(f"Redis on {broker.hostname}:{broker.port or 6379}")
    if down:
        pytest.exit(
            f"No answer from {' or '.join(down)}, which the tests need. Start "
            f"{'them' if len(down) > 1 else 'it'} as root: bin/start-services (or run on the "
            "embedded setup, leaving out the tests that need the servers: "
            "DMCA_TEST_SKIP=postgresql,redis)",
            returncode=3,
        )


def pdf_reader(document) -> PdfReader:
    """A PDF record (notices.models.Document), read back with pypdf."""
    with document.file.open("rb") as pdf:
        return PdfReader(io.BytesIO(pdf.read()))


def pdf_text(document) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(document).pages)


def clear_cache() -> None:
    """Empty this test process's cache. On Redis, only its own keys: FLUSHDB would empty
    the caches of the processes running beside it."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Database tests first, then transactional ones, then the rest, as pytest-django orders
    them: pytest regroups tests by parametrized fixtures after that plugin has sorted, and a
    transactional test ends by emptying its database, the roles' groups that the migrations
    made included, so a plain database test run after it finds no roles."""

    def order(item) -> int:
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker else {}
        fixtures = set(getattr(item, "fixturenames", ()))
        if kwargs.get("transaction") or kwargs.get("reset_sequences"):
            return 1
        if fixtures & {"transactional_db", "live_server"}:
            return 1
        return 0 if marker or "db" in fixtures else 2

    items.sort(key=order)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    clear_cache()


# How long a test waits after the letters it expects have arrived, so that a second copy
# of one (a task delivered twice, a sweep that queued it again) arrives too and is counted.
GRACE_SECONDS = 2.0


DESK_ROW = re.compile(
    r'<tr class="(?P<urgent>desk-urgent)?"><th scope="row"><a href="[^"]*">(?P<label>[^<]+)'
    r"</a></th><td>(?P<count>\d+)</td></tr>"
)


def desk_today(page: str) -> dict[str, tuple[int, bool]]:
    """The admin index's "Today on the desk" table: label -> (count, shown as urgent)."""
    return {
        html.unescape(row["label"]): (int(row["count"]), bool(row["urgent"]))
        for row in DESK_ROW.finditer(page)
    }


class ServerMailbox:
    """What the real SMTP server accepted, and an optional refusal or stall."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_with: str | None = None
        self.stall_seconds = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_with:
            return self.refuse_with
        if self.stall_seconds:
            await asyncio.sleep(self.stall_seconds)
            if server.transport is None or server.transport.is_closing():
                # The sender died before hearing "250": like a careful MTA (RFC 1047),
                # do not deliver what the sender cannot know was accepted.
                return "421 Connection lost"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
        self.refuse_with = None
        self.stall_seconds = 0.0

    def received(self) -> list[email.message.EmailMessage]:
        with self._lock:
            return list(self.messages)


class Inbox:
    """One test's view of the SMTP server: the messages that are letters of this test.

    Every e-mail the product sends is a Letter row first, with its Message-ID
    (notices/outbox/letters.py). A letter that an earlier test's worker delivers late belongs to
    a row that the earlier test's flush removed, so it is not counted here; a letter of
    this test delivered twice is counted twice."""

    def __init__(self, mailbox: ServerMailbox):
        self._mailbox = mailbox

    @property
    def refuse_with(self) -> str | None:
        return self._mailbox.refuse_with

    @refuse_with.setter
    def refuse_with(self, answer: str | None) -> None:
        self._mailbox.refuse_with = answer

    @property
    def stall_seconds(self) -> float:
        return self._mailbox.stall_seconds

    @stall_seconds.setter
    def stall_seconds(self, seconds: float) -> None:
        self._mailbox.stall_seconds = seconds

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        from notices.models import Letter

        received = self._mailbox.received()
        ours = set(
            Letter.objects.filter(message_id__in={m["Message-ID"] for m in received}).values_list(
                "message_id", flat=True
            )
        )
        return [m for m in received if m["Message-ID"] in ours]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def wait_for(self, address: str, count: int = 1, timeout: float = 30) -> list:
        """The messages to `address` once `count` have arrived and the grace period
        has passed: a duplicate is among them, and an exact count fails on it."""

        def arrived() -> bool:
            return len(self.to(address)) >= count

        wait_until(arrived, timeout, f"{count} letter(s) to {address}")
        time.sleep(GRACE_SECONDS)
        return self.to(address)

    def wait_for_letters(self, message_ids, timeout: float = 60) -> list[str]:
        """The Message-IDs of every message of this test, sorted, once each of
        `message_ids` has arrived and the grace period has passed."""
        expected = set(message_ids)

        def arrived() -> bool:
            return expected <= {m["Message-ID"] for m in self.messages}

        wait_until(arrived, timeout, f"{len(expected)} letters")
        time.sleep(GRACE_SECONDS)
        return sorted(m["Message-ID"] for m in self.messages)


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    controller = Controller(ServerMailbox(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def inbox(smtp_server, settings) -> Inbox:
    """Letters sent from this test process go to the real SMTP server."""
    smtp_server.handler.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.hostname
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_TIMEOUT = 5
    return Inbox(smtp_server.handler)


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(smtp_server) -> dict:
    """The environment of a process that works like our worker on the test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iija_compliance.settings_test",
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": smtp_server.hostname,
        "EMAIL_PORT": str(smtp_server.port),
    }


def start_worker(env: dict, log_path: Path) -> subprocess.Popen:
    """Start a real Celery worker process and wait until it is ready."""
    command = [sys.executable, "-m", "celery", "-A", "iija_compliance", "worker"]
    command += ["--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-gossip"]
    command += ["--without-mingle"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    process.log_path = log_path
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()}")
        time.sleep(0.2)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, smtp_server):
    """A real Celery worker process on the test database, broker and SMTP server."""
    process = start_worker(worker_env(smtp_server), Path(settings.VAR_DIR) / "worker.log")
    yield process
    stop(process)


DOVECOT_CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
{run_as}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture(scope="session")
def imap_server():
    """A real IMAP server (Debian's dovecot-imapd) with one mailbox: agent / secret."""
    import shutil
    import tempfile

    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    needs(
        "dovecot", Path(binary).exists(), "not installed (as root: apt-get install dovecot-imapd)"
    )
    if os.geteuid() == 0:
        # Dovecot refuses to log in as root: its processes drop to its own users, and the
        # mailbox belongs to nobody.
        uid = gid = 65534
        run_as = ""
    else:
        # Every process of its own runs as this user.
        uid, gid = os.getuid(), os.getgid()
        user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        run_as = f"default_internal_user = {user}\ndefault_internal_group = {group}\n"
        run_as += f"default_login_user = {user}"
    # Outside pytest's private temp folder: dovecot's own users must be able to read it.
    root = Path(tempfile.mkdtemp(prefix="dmca-dovecot-"))
    root.chmod(0o755)
    (root / "home").mkdir()
    os.chown(root / "home", uid, gid)
    (root / "passwd").write_text("agent:{PLAIN}secret\n")
    port = _free_port()
    config = DOVECOT_CONFIG.format(root=root, port=port, uid=uid, gid=gid, run_as=run_as)
    (root / "dovecot.conf").write_text(config)
    process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")])
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"dovecot did not start: {(root / 'dovecot.log').read_text()}")
            time.sleep(0.1)
    yield {"host": "127.0.0.1", "port": port, "user": "agent", "password": "secret"}
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(root, ignore_errors=True)


class Mailbox:
    """The Designated Agent's mailbox on the real IMAP server, as mail servers fill it."""

    def __init__(self, server: dict):
        self.server = server

    def _client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.server["host"], self.server["port"])
        client.login(self.server["user"], self.server["password"])
        client.select("INBOX")
        return client

    def deliver(self, raw: bytes) -> None:
        with self._client() as client:
            lines = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            client.append("INBOX", None, imaplib.Time2Internaldate(time.time()), lines)

    def messages(self) -> list[bytes]:
        """Every message as the server hands it over, oldest first."""
        with self._client() as client:
            _, found = client.uid("SEARCH", None, "ALL")
            return [client.uid("FETCH", uid, "(BODY.PEEK[])")[1][0][1] for uid in found[0].split()]

    def unseen(self) -> int:
        with self._client() as client:
            _, found = client.uid("SEARCH", None, "UNSEEN")
            return len(found[0].split())

    def empty(self) -> None:
        with self._client() as client:
            _, found = client.uid("SEARCH", None, "ALL")
            if found[0]:
                client.uid("STORE", b",".join(found[0].split()), "+FLAGS", "(\\Deleted)")
                client.expunge()


@pytest.fixture
def mailbox(imap_server, settings) -> Mailbox:
    """The desk reads the real IMAP server's mailbox, emptied for this test."""
    settings.IMAP_HOST, settings.IMAP_PORT = imap_server["host"], imap_server["port"]
    settings.IMAP_SSL, settings.IMAP_FOLDER = False, "INBOX"
    settings.IMAP_USER, settings.IMAP_PASSWORD = imap_server["user"], imap_server["password"]
    box = Mailbox(imap_server)
    box.empty()
    return box
