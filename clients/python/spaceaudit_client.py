"""SpaceAudit ingest client for a Python Space (Gradio, FastAPI, Streamlit…). Standard library
only: copy this one file into your Space.

    from spaceaudit_client import SpaceAuditClient
    audit = SpaceAuditClient()          # SPACEAUDIT_URL, SPACEAUDIT_TOKEN, SPACE_ID from the environment
    audit.login_succeeded(user_sub=profile.sub, username=profile.username, scopes_granted=["openid", "profile"])

Every call is safe to make from request handlers: it never raises into your app (errors are
logged and counted), each event carries an idempotency key so retries are stored once, and
with `background=True` (the default) events are queued and sent by a daemon thread, in
batches, with exponential backoff. Call `flush()` to wait for the queue (e.g. at shutdown).
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import queue
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Iterable, Optional

__all__ = ["SpaceAuditClient"]
_log = logging.getLogger("spaceaudit_client")

_FIELDS = ("outcome", "reason", "user_sub", "username", "orgs", "scopes_requested", "scopes_granted",
           "redirect_uri", "client_id", "client_ip", "user_agent")


class SpaceAuditClient:
    """Sends login events to `POST {url}/api/v1/spaces/{space_id}/events`."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, space_id: Optional[str] = None, *,
                 background: bool = True, max_attempts: int = 6, timeout: float = 10.0, batch_size: int = 100,
                 max_queue: int = 10_000):
        self.url = (url or os.environ.get("SPACEAUDIT_URL", "")).rstrip("/")
        self.token = token or os.environ.get("SPACEAUDIT_TOKEN", "")
        self.space_id = space_id or os.environ.get("SPACE_ID", "")
        self.max_attempts = max(1, max_attempts)
        self.timeout = timeout
        self.batch_size = max(1, min(batch_size, 1000))
        self.sent = 0      # events acknowledged by the server (202)
        self.dropped = 0   # events given up on (refused, or retries exhausted, or queue full)
        self.enabled = bool(self.url and self.token and self.space_id)
        if not self.enabled:
            _log.warning("spaceaudit: SPACEAUDIT_URL, SPACEAUDIT_TOKEN or SPACE_ID missing; events are not sent")
        self._queue: "queue.Queue[dict]" = queue.Queue(maxsize=max_queue)
        self._background = background
        if background and self.enabled:
            threading.Thread(target=self._worker, name="spaceaudit-client", daemon=True).start()

    # ---- convenience -------------------------------------------------------------------
    def login_started(self, **fields) -> Optional[str]:
        return self.record("login_started", **fields)

    def login_succeeded(self, **fields) -> Optional[str]:
        return self.record("login_succeeded", outcome="success", **fields)

    def login_failed(self, reason: str, **fields) -> Optional[str]:
        return self.record("login_failed", outcome="failure", reason=reason, **fields)

    def logout(self, **fields) -> Optional[str]:
        return self.record("logout", **fields)

    # ---- core --------------------------------------------------------------------------
    def record(self, event: str, *, occurred_at: Optional[_dt.datetime] = None, idempotency_key: Optional[str] = None,
               **fields) -> Optional[str]:
        """Records one event; returns its idempotency key (None if the client is disabled).
        Unknown keyword arguments are ignored rather than sent (the server would refuse them)."""
        try:
            if not self.enabled:
                return None
            moment = (occurred_at or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
            payload = {"event": event, "occurred_at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                       "idempotency_key": idempotency_key or uuid.uuid4().hex}
            for name in _FIELDS:
                value = fields.get(name)
                if value is not None:
                    payload[name] = list(value) if name in ("orgs", "scopes_requested", "scopes_granted") else str(value)
            if self._background:
                try:
                    self._queue.put_nowait(payload)
                except queue.Full:
                    self.dropped += 1
                    _log.warning("spaceaudit: queue full, event dropped")
            else:
                self.send([payload])
            return payload["idempotency_key"]
        except Exception:  # never raise into the app
            _log.exception("spaceaudit: could not record an event")
            return None

    def send(self, events: Iterable[dict]) -> bool:
        """Sends a batch now (blocking, with retries); True when acknowledged. Never raises."""
        batch = list(events)
        if not batch or not self.enabled:
            return False
        body = json.dumps({"events": batch}).encode("utf-8")
        request_url = f"{self.url}/api/v1/spaces/{self.space_id}/events"
        for attempt in range(self.max_attempts):
            status, retry_after = self._post(request_url, body)
            if status == 202:
                self.sent += len(batch)
                return True
            if status in (400, 401, 403, 404, 409, 413, 415, 422):
                # Retrying cannot help: the request itself is refused.
                self.dropped += len(batch)
                _log.error("spaceaudit: batch refused with HTTP %s", status)
                return False
            delay = retry_after if retry_after is not None else min(30.0, 0.5 * 2 ** attempt)
            time.sleep(delay * (0.8 + 0.4 * random.random()))
        self.dropped += len(batch)
        _log.error("spaceaudit: batch dropped after %d attempts", self.max_attempts)
        return False

    def flush(self, timeout: float = 30.0) -> bool:
        """Waits until the background queue is sent; True when it emptied in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.unfinished_tasks == 0:
                return True
            time.sleep(0.05)
        return False

    # ---- internals ---------------------------------------------------------------------
    def _post(self, request_url: str, body: bytes):
        request = urllib.request.Request(request_url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}",
            "User-Agent": "spaceaudit-client-python/1"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, None
        except urllib.error.HTTPError as error:
            retry_after = error.headers.get("Retry-After") if error.headers else None
            try:
                return error.code, float(retry_after) if retry_after else None
            except ValueError:
                return error.code, None
        except Exception as error:  # connection refused, timeout, DNS…
            _log.warning("spaceaudit: %s", type(error).__name__)
            return 0, None

    def _worker(self):
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.batch_size:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self.send(batch)
            except Exception:
                _log.exception("spaceaudit: send failed")
            finally:
                for _ in batch:
                    self._queue.task_done()
