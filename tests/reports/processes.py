"""Real processes for the report tests: a Celery worker, and a Redis server of the test's own.

The shared Redis on port 6379 is never stopped: a test that needs a broker to die starts its
own `redis-server` on a free port and stops that one.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def wait_for(predicate, *, timeout: float, message: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message)


@contextmanager
def celery_worker(log_path: Path, *, broker_url: str | None = None, **extra_env):
    """A real `celery worker` (solo pool: the process that renders is the one we can kill)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra_env,
    }
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    log = open(log_path, "a+")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def ready():
        log.seek(0)
        assert process.poll() is None, "the worker exited early:\n" + log.read()[-3000:]
        return "ready." in log.read()

    try:
        wait_for(ready, timeout=60, message="the Celery worker did not start within 60 s")
        yield process, log
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        log.close()


def read_log(log) -> str:
    log.seek(0)
    return log.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, without persistence (as the old compose file ran it)."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(answers, timeout=20, message="the test's own redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)
        self.process = None

    def llen(self, key: str) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(key)


@contextmanager
def broker(url: str):
    """Point this process's Celery app at another broker (and send for real, not in-process)."""
    from portal.celery import app

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    previous_url, previous_eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    reset()
    try:
        yield app
    finally:
        app.conf.broker_url = previous_url
        app.conf.task_always_eager = previous_eager
        reset()
