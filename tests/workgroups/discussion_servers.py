"""A Redis server and daphne workers of a test's own (never the shared
Redis on the default port: the outage test stops its own)."""

import contextlib
import shutil
import subprocess
import sys
import tempfile

from tests.utils import BASE_DIR, free_port, site_environment, wait_for_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="platforma-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def redis_server():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.directory, ignore_errors=True)


@contextlib.contextmanager
def workers(count, redis_url):
    """``count`` daphne processes of the site on the test database and the
    given Redis; yields their ports."""
    # They serve WebSockets only: no search dictionaries (seconds of CPU each).
    env = site_environment(REDIS_URL=redis_url, SEARCH_PRELOAD="0")
    processes, ports = [], []
    try:
        for _ in range(count):
            port = free_port()
            processes.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "daphne",
                        "-b",
                        "127.0.0.1",
                        "-p",
                        str(port),
                        "platforma.asgi:application",
                    ],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            )
            ports.append(port)
        for port, process in zip(ports, processes, strict=True):
            # Slow when the machine is busy: be patient.
            wait_for_port(port, process, timeout=120)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            _, errors = process.communicate(timeout=10)
            if b"Traceback" in errors:
                sys.stderr.write(errors.decode(errors="replace"))
