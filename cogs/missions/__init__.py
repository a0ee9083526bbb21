"""Missions: shared goals with a target, a deadline and something at stake.

Moderators create a mission (``/mission create``); people add to it by hand
(``/mission contribute``, the button on the mission post) or by what they do anyway
(messages in chosen channels, questions answered, kudos given, newcomers welcomed).
Milestones, the celebration, reminders and the summary are each announced once, even
under concurrent contributions and restarts (see ``base.py`` for how).

The parts: ``manage`` and ``moderation`` (moderator commands), ``member`` (member commands and buttons),
``counting`` (automatic counting), ``delivery`` (timers, post refresh, roles),
``base`` (shared rules), ``progress`` (pure decisions), ``render`` (messages),
``store`` and ``people`` (SQL), ``model`` (data).
"""

from __future__ import annotations

from typing import Any

from cogs.missions.base import MissionSettings
from cogs.missions.delivery import Delivery
from cogs.missions.manage import ManageCommands
from cogs.missions.member import MemberCommands
from cogs.missions.model import ACTIVE, Mission
from cogs.missions.moderation import ModerationCommands

__all__ = ["MissionSettings", "Missions", "setup"]


class Missions(ManageCommands, ModerationCommands, MemberCommands, Delivery):
    """The missions cog: the commands, listeners, timers and jobs of its parts."""

    name = "missions"
    tables = (
        "missions",
        "mission_contributions",
        "mission_participants",
        "mission_earners",
        "mission_notices",
    )

    async def start(self) -> None:
        await self.reload_index()

    async def close(self) -> None:
        """Write buffered counts and bring posts up to date; announcements decided by the
        flush stay queued as timers and go out after the next start."""
        await self.flush_counts(deliver=False)
        await self.refresh_posts()

    # --- for other cogs (the weekly digest, nudges) ---------------------------------------

    async def live_missions(self, community: str) -> list[Mission]:
        """The community's running missions, soonest deadline first."""
        return await self.store.in_state(community, ACTIVE)

    async def joined_live_missions(self, community: str, user: str) -> list[Mission]:
        """The running missions ``user`` joined, soonest deadline first."""
        joined = await self.store.joined_missions(community, user)
        return [m for m in await self.live_missions(community) if m.id in joined]

    async def delete_user_data(self, community: str, user: str) -> None:
        """Anonymise rather than delete contributions: a mission's total and outcome are the
        community's history, so the amounts stay, without the person's id or their notes.
        Their memberships and earned recognition records are removed."""
        self.forget_pending(community, user)
        await self.store.forget(community, user)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        return await self.store.export(community, user)


def setup(bot: Any) -> Missions:
    return Missions(bot)
