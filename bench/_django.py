"""Start Django for a benchmark on a throwaway database (the test settings' services)."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iija_compliance.settings_test")
os.environ.setdefault("PYTEST_XDIST_WORKER", "gw5")  # its own Redis databases and files

import django  # noqa: E402

django.setup()


def write_result(name: str, result: dict) -> None:
    """The run's figures as var/bench/<name>.json."""
    import json

    out = ROOT / "var" / "bench" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"Written to {out.relative_to(ROOT)}")


def checkout_name(name: str) -> str:
    """`name` for this checkout: benchmarks of two checkouts on one PostgreSQL never meet."""
    from django.conf import settings

    return f"{name}_{settings.TEST_NAMESPACE.split('-')[1]}"


@contextmanager
def bench_database(name: str = "bench_dmca_desk"):
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    name = checkout_name(name)
    # A name of its own, so a benchmark never clobbers a test run's database.
    connection.settings_dict["TEST"] = {
        **connection.settings_dict.get("TEST", {}),
        "NAME": name,
    }
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield name
    finally:
        connection.close()
        if connection.vendor == "postgresql":
            # Threads of the benchmark may still hold connections: end them first.
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                )
        connection.creation.destroy_test_db(name, verbosity=0)
        teardown_test_environment()
