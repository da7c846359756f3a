"""Test settings: PostgreSQL and Redis on this machine, as in production; only speed and
isolation differ. DMCA_TEST_SKIP=postgresql,redis runs on the embedded defaults instead
(SQLite, the filesystem broker), leaving out the tests that need the servers (README)."""

import hashlib
import os
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent
# Every test process gets resources of its own: its database, its Redis keys and its files.
# A process is named by its checkout (two clones on one machine), its run (TOX_PARALLEL_ENV,
# for runs side by side in one checkout) and its pytest-xdist worker, for any `-n`.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_CHECKOUT = hashlib.sha256(str(_BASE).encode()).hexdigest()[:8]
_RUN = os.environ.get("TOX_PARALLEL_ENV", "")
TEST_NAMESPACE = "-".join(filter(None, ["dmca", _CHECKOUT, _RUN, _WORKER]))
# What the tests may leave out, by name: tests/conftest.py's `needs`.
TEST_SKIP = frozenset(os.environ.get("DMCA_TEST_SKIP", "").replace(",", " ").split())

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SITE_URL", "http://testserver")
if "DATABASE_URL" not in os.environ and "postgresql" not in TEST_SKIP:
    # pytest-django adds the run's and the worker's names to the test database's name.
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/dmca_desk_{_CHECKOUT}"
# Per worker, always: xdist workers inherit the environment of the process that loaded
# these settings first, so values set there must not leak into another worker.
os.environ["VAR_DIR"] = str(_BASE / "var" / "test" / "-".join(filter(None, [_RUN, _WORKER])))
for _name in ("CELERY_BROKER_URL", "REDIS_CACHE_URL"):
    os.environ.pop(_name, None)
if "redis" not in TEST_SKIP:
    # One database each for brokers and caches; key prefixes keep the processes apart.
    os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/2"
    os.environ["REDIS_CACHE_URL"] = "redis://127.0.0.1:6379/3"

from .settings import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
if not EMAIL_HOST:  # noqa: F405
    # Tests that check delivery start a real SMTP server and a worker pointed at it.
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if REDIS_CACHE_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = TEST_NAMESPACE  # noqa: F405
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CELERY_BROKER_URL.startswith("redis://"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{TEST_NAMESPACE}:"}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
