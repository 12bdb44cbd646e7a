"""
oktalint's mitmproxy addon: writes each HTTP flow, in mitmproxy's own flow
format, the moment it completes, and flushes, so `oktalint lint -` can lint
it while mitmdump is still running.

    mitmdump -s "$(oktalint mitmproxy-addon)" --mode reverse:https://dev-123456.okta.com | oktalint lint -

mitmdump's own `-w FILE` buffers its writes (flows reach the file kilobytes
late) and has no stdout mode; this addon does what `-w` does, unbuffered.

Where the flows go (option `oktalint_out`):
  "-"   (default) standard output. mitmdump prints its own log and flow list
        on standard output too, so the addon keeps the real standard output
        for flows and points file descriptor 1 at standard error: every other
        line mitmdump prints then goes to the terminal, never into the stream.
        When standard output is a terminal nothing is written (binary flows
        would garble it): pipe it into oktalint.
  PATH  a file (truncated), or a FIFO made with mkfifo that `oktalint lint PATH`
        reads: mitmdump starts once the reader has opened it.

A flow is written on `response`, or on `error` when it never got one; flows
still in flight when mitmdump stops are written at the end, like `-w` does.
TCP, UDP and DNS flows are not written. Works with mitmproxy 8 to 12.
"""
from __future__ import annotations

import collections
import logging
import os
import sys
from typing import BinaryIO, Optional

from mitmproxy import ctx, http, io

OPTION = "oktalint_out"
# Remembered across script reloads (mitmproxy re-executes a script when it changes):
# file descriptor 1 is moved only once, and the saved stream is reused.
_SAVED_STDOUT_ATTR = "_oktalint_flow_stdout"
# Ids of flows written lately: an error after a response must not write the flow twice.
_RECENT = 4096


def _mitmproxy_major() -> int:
    try:
        from mitmproxy import version

        return int(version.VERSION.split(".")[0])
    except Exception:  # pragma: no cover - a version string we cannot read: assume a current one
        return 99


_LOG = logging.getLogger("oktalint")


def _log_error(message: str) -> None:
    # mitmproxy 9+ shows the standard `logging` (ctx.log is deprecated there); 8 has only ctx.log.
    if _mitmproxy_major() >= 9:
        _LOG.error(message)
    else:
        ctx.log.error(message)


def _take_stdout() -> BinaryIO:
    """The real standard output for flows; fd 1 (and so sys.stdout) becomes standard error."""
    saved = getattr(sys, _SAVED_STDOUT_ATTR, None)
    if saved is not None:
        return saved
    # Text already printed but still buffered stays in sys.stdout's buffer and,
    # once fd 1 is moved, is flushed to standard error: nothing leaks into the stream.
    flow_fd = os.dup(1)
    os.dup2(2, 1)
    stream = os.fdopen(flow_fd, "wb", buffering=0)
    setattr(sys, _SAVED_STDOUT_ATTR, stream)
    return stream


class OktalintStream:
    def __init__(self) -> None:
        self.out: Optional[BinaryIO] = None
        self.writer: Optional[io.FlowWriter] = None
        self.target = ""
        self.written: collections.OrderedDict[str, None] = collections.OrderedDict()
        self.active: dict[str, http.HTTPFlow] = {}
        self.broken = False

    def load(self, loader) -> None:
        loader.add_option(
            OPTION,
            str,
            "-",
            "Where oktalint's addon writes each completed flow: '-' for standard output "
            "(pipe it into `oktalint lint -`), or a file or FIFO path.",
        )

    def configure(self, updated) -> None:
        if OPTION not in updated:
            return
        target = getattr(ctx.options, OPTION) or "-"
        if target == self.target and self.writer is not None:
            return
        self._close()
        self.target = target
        self.broken = False
        if target == "-":
            if getattr(sys, _SAVED_STDOUT_ATTR, None) is None and os.isatty(1):
                _log_error("oktalint: standard output is a terminal, so no flows are written; pipe it: mitmdump -s ... | oktalint lint -")
                return
            self.out = _take_stdout()
        else:
            # Opening a FIFO blocks until its reader (oktalint lint PATH) opens it.
            self.out = open(os.path.expanduser(target), "wb", buffering=0)
        self.writer = io.FlowWriter(self.out)

    def _write(self, flow: http.HTTPFlow) -> None:
        self.active.pop(flow.id, None)
        if self.writer is None or self.broken or flow.id in self.written:
            return
        self.written[flow.id] = None
        if len(self.written) > _RECENT:
            self.written.popitem(last=False)
        try:
            # One write call per flow (tnetstring.dump), unbuffered: the reader gets it whole, now.
            self.writer.add(flow)
            if self.out is not None:
                self.out.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away (oktalint stopped): keep proxying, stop writing.
            self.broken = True
            _log_error(f"oktalint: {self._name()} was closed by its reader; flows are no longer written")
        except OSError as e:
            self.broken = True
            _log_error(f"oktalint: cannot write to {self._name()}: {e}")

    def _name(self) -> str:
        return "standard output" if self.target == "-" else self.target

    def request(self, flow: http.HTTPFlow) -> None:
        self.active[flow.id] = flow

    def response(self, flow: http.HTTPFlow) -> None:
        # A WebSocket handshake is written now too (its messages are not linted), not at websocket_end.
        self._write(flow)

    def error(self, flow: http.HTTPFlow) -> None:
        self._write(flow)

    def done(self) -> None:
        # Flows still in flight when mitmdump stops, as `-w` writes them.
        for flow in list(self.active.values()):
            self._write(flow)
        self.active.clear()
        self._close()

    def _close(self) -> None:
        out = self.out
        self.out = None
        self.writer = None
        if out is None:
            return
        try:
            out.flush()
            # Standard output stays open (a script reload reuses it); it ends when mitmdump exits.
            if self.target != "-":
                out.close()
        except OSError:
            pass

addons = [OktalintStream()]
