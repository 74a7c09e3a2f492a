"""A hostile web server on 127.0.0.1 for the importer's bounds (issue 10's probes).

Each path misbehaves one way: a huge declared body, an endless chunked body, a gzip bomb
(compressed on the fly, never held in memory), a byte trickled every so often, a stall, and
redirects to the same site, to another site (another port) and in a loop. Every handler stops
when the client hangs up or after at most ``_MAX_SECONDS``, so no thread outlives a test.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAGE = b"<html><body><h1>A page</h1><p>Fine.</p></body></html>"
_MAX_SECONDS = 30.0
_BLOCK = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    other_site = ""  # set per server: the base address of a second server
    hits: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.hits.append(self.path)
        name = "_" + self.path.strip("/").split("?")[0].replace("-", "_")
        handler = getattr(self, name, None)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            if handler is None:
                self._head(404, len(PAGE))
                self.wfile.write(PAGE)
            else:
                handler()

    def _head(self, status: int, length: int | None, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _ok(self) -> None:
        self._head(200, len(PAGE))
        self.wfile.write(PAGE)

    def _declared_gib(self) -> None:
        """Says 1 GiB, and would send it."""
        self._head(200, 1024**3)
        self._stream_zeros(lambda: self.wfile.write(b"\0" * _BLOCK))

    def _endless(self) -> None:
        """Chunked, no length, never ends."""
        self._head(200, None)
        self._stream_zeros(lambda: self._chunk(b"x" * _BLOCK))

    def _gzip_bomb(self) -> None:
        """512 MiB of zeros as gzip (about 500 KiB on the wire), compressed as it is sent."""
        self._head(200, None, Content_Encoding="gzip")
        packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        zeros = b"\0" * (1024 * 1024)
        for _ in range(512):
            packed = packer.compress(zeros)
            if packed:
                self._chunk(packed)
        self._chunk(packer.flush())
        self.wfile.write(b"0\r\n\r\n")

    def _trickle(self) -> None:
        """A small page, one byte every 50 ms: each read is quick, the whole takes minutes."""
        body = PAGE * 60
        self._head(200, len(body))
        started = time.monotonic()
        for byte in body:
            if time.monotonic() - started > _MAX_SECONDS:
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.05)

    def _stall(self) -> None:
        """Headers and one byte, then nothing."""
        self._head(200, len(PAGE))
        self.wfile.write(PAGE[:1])
        self.wfile.flush()
        time.sleep(_MAX_SECONDS)

    def _redirect_home(self) -> None:
        self._head(302, 0, Location="/ok")

    def _redirect_away(self) -> None:
        self._head(302, 0, Location=self.other_site + "/ok")

    def _redirect_loop(self) -> None:
        self._head(302, 0, Location="/redirect-loop")

    def _bad_charset(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=no-such-codec")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def _stream_zeros(self, send: Any) -> None:
        started = time.monotonic()
        while time.monotonic() - started < _MAX_SECONDS:
            send()


class HostileServer:
    """Serves the hostile paths from a thread on a free port of 127.0.0.1."""

    def __init__(self, other_site: str = "") -> None:
        self.hits: list[str] = []
        handler = type("Handler", (_Handler,), {"other_site": other_site, "hits": self.hits})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
