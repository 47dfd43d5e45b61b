"""The desk's HTTP client: retries with backoff, and a dead or silent hub ends, never hangs."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bekasi_field.sync.client import HubClient, HubRejected, HubUnreachable


class _Flaky(BaseHTTPRequestHandler):
    failures = 2
    calls = 0

    def do_GET(self) -> None:
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = (b'{"device_id":"d","site_kelurahan":"Kota Baru","acked_seq":7,'
                b'"snapshot_version":1,"open_conflicts":0,"hub_id":"h"}')
        status = 200 if self.path.endswith("/status") else 401
        if status == 401:
            body = b'{"detail":"Kredensial perangkat salah."}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    _Flaky.calls = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_server_errors_are_retried_then_succeed(flaky: str) -> None:
    with HubClient(flaky, token="t", backoff=0.01) as c:
        assert c.status().acked_seq == 7
    assert _Flaky.calls == 3


def test_refusals_are_not_retried(flaky: str) -> None:
    _Flaky.failures = 0
    try:
        with HubClient(flaky, token="t", backoff=0.01) as c, pytest.raises(HubRejected) as e:
            c.conflicts()
    finally:
        _Flaky.failures = 2
    assert e.value.status == 401 and "salah" in e.value.message and _Flaky.calls == 1


def test_a_silent_hub_times_out_instead_of_hanging() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections, never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        with HubClient(url, token="t", timeout=0.5, attempts=2, backoff=0.1) as c, \
                pytest.raises(HubUnreachable, match="tidak menjawab"):
            c.status()
    finally:
        listener.close()


def test_nothing_listening_is_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with HubClient(f"http://127.0.0.1:{port}", attempts=2, backoff=0.01) as c, \
            pytest.raises(HubUnreachable):
        c.status()
