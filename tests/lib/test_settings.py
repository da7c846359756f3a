import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="iija_compliance.settings")
    environment["VAR_DIR"] = str(ROOT / "var" / "test" / "settings-check")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_on_the_default_secret_key_with_debug_off():
    result = run_check(DEBUG="false", SECRET_KEY="insecure-local-development-key-do-not-use")
    assert result.returncode != 0
    assert "SECRET_KEY is the insecure default while DEBUG is off" in result.stderr


def test_it_starts_with_a_real_secret_key():
    result = run_check(DEBUG="false", SECRET_KEY="a-real-secret-0123456789abcdefghijklmnop")
    assert result.returncode == 0, result.stderr
