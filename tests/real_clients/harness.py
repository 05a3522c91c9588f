"""Starts and stops `moe serve` for the real-client tests, and sets up their environment.

Each test class starts its own server on a free loopback port (`--port 0`; the port is read back
from the "moe serve: listening on http://HOST:PORT" line), so the suites can run in parallel with
each other and with the rest of CTest. A server is always stopped: by its owner (terminate, then
kill after a timeout), by a watchdog timer if the test hangs, and by the kernel if this process
dies (PR_SET_PDEATHSIG).
"""

import ctypes
import os
import queue
import re
import signal
import subprocess
import tempfile
import threading

REGION = "us-east-1"
ACCESS_KEY = "AKIDMOETEST"
SECRET_KEY = "moe-test-secret"

# Set by the runner (test_moe_serve.py) from the command line.
MOE_BINARY = None
AWS_CLI = None

_LISTENING = re.compile(r"listening on http://([0-9.]+):(\d+)")


def _die_with_parent():
    # Runs in the child between fork and exec: SIGTERM the server if the test process dies.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class MoeServer:
    """One `moe serve` process bound to 127.0.0.1 on a free port."""

    def __init__(self, extra_args=(), startup_timeout=30.0, watchdog_seconds=900.0):
        self._extra_args = list(extra_args)
        self._startup_timeout = startup_timeout
        self._watchdog_seconds = watchdog_seconds
        self._proc = None
        self._watchdog = None
        self._stderr = None
        self.port = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        if MOE_BINARY is None:
            raise RuntimeError("the moe binary was not given (--moe)")
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [MOE_BINARY, "serve", "--host", "127.0.0.1", "--port", "0", *self._extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True, preexec_fn=_die_with_parent)
        self._watchdog = threading.Timer(self._watchdog_seconds, self._kill)
        self._watchdog.daemon = True
        self._watchdog.start()
        lines = queue.Queue()

        def drain(stream):  # keeps reading so the server never blocks on a full pipe
            for line in stream:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=drain, args=(self._proc.stdout,), daemon=True).start()
        try:
            line = lines.get(timeout=self._startup_timeout)
        except queue.Empty:
            line = None
        match = _LISTENING.search(line or "")
        if not match:
            self.stop()
            self._stderr.seek(0)
            raise RuntimeError(f"moe serve did not start: stdout {line!r}, stderr "
                               f"{self._stderr.read().decode(errors='replace')!r}")
        self.port = int(match.group(2))
        return self

    def _kill(self):
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()

    def stop(self):
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._proc = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def isolate_environment():
    """Makes the SDK ignore the user's AWS configuration: explicit keys, region, no files."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                 "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ROLE_ARN",
                 "AWS_WEB_IDENTITY_TOKEN_FILE"):
        os.environ.pop(name, None)
    os.environ.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        # One attempt: a retried 5xx would hide a server bug.
        "AWS_RETRY_MODE": "standard",
        "AWS_MAX_ATTEMPTS": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    })
