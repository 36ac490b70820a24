"""What every end-to-end suite needs to run the real binary (and test providers): a free
port, waiting until a started process answers, and stopping it. One copy, shared by the suites."""
import socket
import subprocess
import time

import requests


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(url: str, process: subprocess.Popen, what: str, timeout: float = 60,
                       accept=lambda response: True, log=lambda: "") -> None:
    """Polls `url` until `accept(response)`; fails at once if `process` exits, or after `timeout`
    seconds (a bound on waiting, not a performance check). `log` supplies text for the failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with status {process.returncode} before answering\n{log()}")
        try:
            if accept(requests.get(url, timeout=2)):
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not answer {url} within {timeout}s\n{log()}")


def stop(process: subprocess.Popen | None, timeout: float = 30) -> None:
    """SIGTERM (an orderly stop: spaceaudit also stops an embedded PostgreSQL), then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
