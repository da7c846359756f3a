"""Fault tests start services of their own (Redis, PostgreSQL, gunicorn, Celery) so that
stopping, killing or flushing them never disturbs the tests running beside them."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, _free_port, needs, start_worker, stop, wait_until, worker_env


class RedisServer:
    """A redis-server of the test's own, keeping nothing on disk like the machine's."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("redis-server")
        needs(
            "redis",
            self.binary is not None,
            "redis-server is not installed (as root: apt-get install redis-server)",
        )
        self.port = _free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(self.answers, 10, "redis-server to start")

    def stop(self) -> None:
        stop(self.process)

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class PostgresServer:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder)."""

    def __init__(self):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        needs(
            "postgresql",
            bool(versions),
            "initdb and pg_ctl are not installed (as root: apt-get install postgresql)",
        )
        self.bin = versions[-1].parent
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="dmca-pg-"))
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/desk"
        # PostgreSQL refuses to run as root: as root, run it as the machine's postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.folder, "postgres")

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True)

    def init(self) -> None:
        data = str(self.folder / "data")
        self._run(str(self.bin / "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-N")
        self.start()
        address = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        self._run(str(self.bin / "createdb"), *address, "desk")

    def _ctl(self, action: str, *options: str) -> None:
        settings = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        data = str(self.folder / "data")
        log = str(self.folder / "server.log")
        self._run(str(self.bin / "pg_ctl"), action, "-D", data, "-l", log, "-o", settings, "-w",
                  *options)  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def destroy(self) -> None:
        self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres_server():
    server = PostgresServer()
    server.init()
    yield server
    server.destroy()


def fault_env(smtp_server, redis_server, **extra) -> dict:
    """The environment of our processes, on the test's own Redis (and database if given)."""
    return {
        **worker_env(smtp_server),
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "FAULT_REDIS_URL": redis_server.url,
        **extra,
    }


def manage(env: dict, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return result.stdout


class WebServer:
    """gunicorn serving the product, as in production."""

    def __init__(self, env: dict, log_path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [sys.executable, "-m", "gunicorn", "iija_compliance.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4"]
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        wait_until(self.answers, 30, "gunicorn to start")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, dict, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def post_json(self, path: str, body: dict, token: str) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, {"body": text.decode(errors="replace")[:500]}


@pytest.fixture
def start_web(tmp_path):
    servers = []

    def start(env: dict) -> WebServer:
        servers.append(WebServer(env, tmp_path / f"gunicorn-{len(servers)}.log"))
        return servers[-1]

    yield start
    for server in servers:
        stop(server.process)


@pytest.fixture
def start_celery(tmp_path):
    """Start workers (and the fast beat) on demand; whatever is still running is stopped."""
    processes = []

    def start(env: dict) -> subprocess.Popen:
        processes.append(start_worker(env, tmp_path / f"worker-{len(processes)}.log"))
        return processes[-1]

    yield start
    for process in processes:
        if process.poll() is None:
            stop(process)


@pytest.fixture
def start_beat(tmp_path):
    """Start the fast letters-only beat, or another beat module given with its arguments."""
    processes = []

    def start(env: dict, *module_and_arguments: str) -> subprocess.Popen:
        command = [sys.executable, "-m", *(module_and_arguments or ["tests.faults.fast_beat"])]
        log_path = tmp_path / f"beat-{len(processes)}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        process.log_path = log_path
        processes.append(process)
        return process

    yield start
    for process in processes:
        stop(process)
