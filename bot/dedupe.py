"""Inbound events count once, however often a platform delivers them.

Slack redelivers an event it thinks was not acknowledged (``X-Slack-Retry-Num``, the
same ``event_id``), and a resumed Discord gateway can replay dispatches the bot has
already seen. Adapters put the platform's identity of each event in ``event_id``; the
core remembers the most recent ones here, in memory, and drops a repeat before any
cog sees it. Nothing on this path touches the database: it runs for every message.
"""

from __future__ import annotations

from collections import OrderedDict


class SeenEvents:
    """The last ``capacity`` (platform, event id) pairs, with the kind of event each was.

    The same id with the same kind is a repeat; with another kind it is not, so that an
    adapter may turn one delivery into events of two kinds. Twenty thousand ids cover
    Slack's retries (within 30 minutes) and a gateway's replay (since its last
    acknowledgement) in all but the busiest communities, in about 5 MB.
    """

    def __init__(self, capacity: int = 20_000) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[tuple[str, str], str] = OrderedDict()

    def first_time(self, platform: str, event_id: str, kind: str) -> bool:
        """Note the event; False when it is a repeat of one already noted."""
        key = (platform, event_id)
        if self._seen.get(key) == kind:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = kind
        self._seen.move_to_end(key)
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)
