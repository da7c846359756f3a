"""Test settings: real PostgreSQL and Redis when they answer on this machine, else the
embedded defaults. Only speed and isolation differ from production settings."""

import os
import socket
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent
# pytest-xdist runs one process per core; each gets its own Redis databases and files.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_SLOT = int(_WORKER.removeprefix("gw") or 0)


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


if os.environ.get("DMCA_TEST_REQUIRE_SERVICES") and not (_reachable(5432) and _reachable(6379)):
    raise RuntimeError("DMCA_TEST_REQUIRE_SERVICES is set but PostgreSQL or Redis is down.")

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SITE_URL", "http://testserver")
if "DATABASE_URL" not in os.environ and _reachable(5432):
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/dmca_desk"
# Per worker, always: xdist workers inherit the environment of the process that loaded
# these settings first, so values set there must not leak into another worker.
os.environ["VAR_DIR"] = str(_BASE / "var" / "test" / _WORKER)
REDIS_AVAILABLE = _reachable(6379)
for _name in ("CELERY_BROKER_URL", "REDIS_CACHE_URL"):
    os.environ.pop(_name, None)
if REDIS_AVAILABLE:
    os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:6379/{2 + _SLOT}"
    os.environ["REDIS_CACHE_URL"] = f"redis://127.0.0.1:6379/{10 + _SLOT}"

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
if not REDIS_CACHE_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
