"""Servers on loopback ports, started and stopped by the tests, the
benchmarks (``bench/``) and the topology smoke test (``deploy/topology.py``):
one way to find a free port, wait until a process listens on it, run the
site under uvicorn and run a Redis server of one's own."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# The largest WebSocket frame a worker reads; the discussion and the live
# documents refuse far smaller ones with an error frame of their own.
MAX_FRAME_BYTES = 1024 * 1024


class ServerExited(RuntimeError):
    """The process meant to listen on a port ended before it did."""


def free_port():
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process=None, timeout=60.0):
    """Return once something accepts connections on ``port``; fail early when
    ``process`` (the one meant to listen) has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerExited(f"{process.args[0]} exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.5),
        ):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def asgi_command(port, *options):
    """The site under uvicorn on ``127.0.0.1:port`` (``options`` before the
    application, e.g. ``--proxy-headers``): WebSockets by the sans-I/O
    implementation of ``websockets``, no compression, frames up to 1 MiB.
    uvicorn rather than daphne because a live message reaches a room's
    sockets sooner (docs/benchmarks.md#make-bench-discussion): asyncio
    writes a frame at once, where Twisted waits for its next turn of the
    loop; asyncio also turns Nagle's algorithm off on every connection."""
    return [
        sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port),
        "--ws", "websockets-sansio", "--ws-per-message-deflate", "false",
        "--ws-max-size", str(MAX_FRAME_BYTES), "--lifespan", "off",
        "--timeout-graceful-shutdown", "3", "--no-access-log",
        *options, "platforma.asgi:application",
    ]  # fmt: skip


def stop(process, timeout=10):
    """Terminate ``process`` and wait for it; what it wrote to a piped stderr
    is shown when it holds a traceback."""
    if process.poll() is None:
        process.terminate()
    _, errors = process.communicate(timeout=timeout)
    if errors and b"Traceback" in errors:
        sys.stderr.write(errors.decode(errors="replace"))


@contextlib.contextmanager
def asgi_servers(count, env, timeout=120.0, stderr=subprocess.PIPE):
    """``count`` uvicorn processes of the site with the environment ``env``,
    listening when this yields their ports; stopped on leaving. Their errors
    are shown when they hold a traceback (``stderr=None``: as they come)."""
    processes, ports = [], []
    try:
        for _ in range(count):
            ports.append(free_port())
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own command
                    asgi_command(ports[-1]),
                    cwd=BASE_DIR,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                )
            )
        for port, process in zip(ports, processes, strict=True):
            # Slow when the machine is busy: be patient.
            wait_for_port(port, process, timeout=timeout)
        yield ports
    finally:
        for process in processes:
            stop(process)


class RedisServer:
    """A Redis server of one's own on a free port, without persistence; it
    can be stopped and started again on the same port (an outage)."""

    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="platforma-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)

    def stop(self):
        if self.process is not None:
            stop(self.process)
        self.process = None


@contextlib.contextmanager
def redis_server():
    """A started ``RedisServer``, stopped and its directory removed on leaving."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.directory, ignore_errors=True)


if __name__ == "__main__":
    # `make run`: the site served as the workers and the tests serve it.
    os.execv(sys.executable, asgi_command(int(sys.argv[1])))  # noqa: S606 - our own
