"""WS-Enumeration contexts and paging the way WinRM does it."""

import threading
import time
import uuid

EXPIRY_SECONDS = 240          # EnumerationTimeoutms
SERVER_MAX_ENVELOPE = 512000  # MaxEnvelopeSizekb 500


class Context:
    def __init__(self, items, class_name):
        self.items = items            # rendered item strings, collected at Enumerate time (as WMI does)
        self.class_name = class_name
        self.pos = 0
        self.touched = time.monotonic()


class Contexts:
    def __init__(self):
        self.lock = threading.Lock()
        self.open = {}

    def _expire(self):
        now = time.monotonic()
        for cid in [c for c, ctx in self.open.items() if now - ctx.touched > EXPIRY_SECONDS]:
            del self.open[cid]

    def add(self, ctx):
        with self.lock:
            self._expire()
            cid = "uuid:" + str(uuid.uuid4()).upper()
            ctx.touched = time.monotonic()
            self.open[cid] = ctx
            return cid

    def take(self, cid):
        """Remove and return a context (each page gets a fresh id); None if unknown or expired."""
        with self.lock:
            self._expire()
            return self.open.pop((cid or "").strip(), None)

    def count(self):
        with self.lock:
            return len(self.open)


def page(ctx, max_elements, max_envelope, overhead):
    """Next batch: up to max_elements items, stopping before the envelope (counted as UTF-16) is too big."""
    limit = min(max_envelope or SERVER_MAX_ENVELOPE, SERVER_MAX_ENVELOPE)
    batch, size = [], overhead * 2
    while ctx.pos < len(ctx.items) and len(batch) < max_elements:
        item_size = len(ctx.items[ctx.pos]) * 2
        if batch and size + item_size > limit:
            break
        batch.append(ctx.items[ctx.pos])
        size += item_size
        ctx.pos += 1
    return batch, size > limit
