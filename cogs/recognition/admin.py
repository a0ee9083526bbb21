"""Moderators' commands: recognition settings, role tiers and the founding-member rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.cog import Cog, command
from bot.commands import UNCHECKED, Channel, Choice, Duration, Integer, Role, Text
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message, mention, role_mention
from bot.text import normalize
from cogs.recognition import render
from cogs.recognition.roles import RoleKeeper
from cogs.recognition.rules import FOUNDING, METRICS, PRESETS, Tier, parse_day
from cogs.recognition.settings import WEIGHT_CHOICES, RecognitionSettings
from cogs.recognition.store import RecognitionStore
from cogs.recognition.thanks import is_emoji, is_phrase

MAX_PHRASES = 50
PHRASE_MAX = 40


class Admin(Cog):
    store: RecognitionStore
    roles: RoleKeeper
    plan_spotlight: Callable[[str], Awaitable[None]]

    @command(
        "recognition settings",
        "Show or change limits, the kudos emoji, confirmations, thank-you phrases and points",
        Choice(name="preset", choices=tuple(PRESETS), required=False),
        Duration(name="cooldown", maximum=timedelta(days=7), required=False),
        Integer(name="allowance", min_value=1, max_value=100, required=False),
        Duration(name="loop-window", maximum=timedelta(days=7), required=False),
        Integer(
            name="pair-cap",
            min_value=1,
            max_value=100,
            required=False,
            description="kudos from one person to another that count, per rolling week",
        ),
        Text(name="emoji", max_length=64, required=False),
        Choice(name="confirm", choices=("reaction", "reply"), required=False),
        Text(name="thanks-add", max_length=PHRASE_MAX, required=False),
        Text(name="thanks-remove", max_length=PHRASE_MAX, required=False),
        Text(
            name="not-thanks-add",
            max_length=PHRASE_MAX,
            required=False,
            description='a phrase that declines and credits nobody, such as "no thanks"',
        ),
        Text(name="not-thanks-remove", max_length=PHRASE_MAX, required=False),
        Choice(name="weight", choices=WEIGHT_CHOICES, required=False),
        Integer(name="points", min_value=0, max_value=100, required=False),
        Channel(name="announce", required=False),
        Channel(name="spotlight", required=False),
        Choice(name="clear", choices=("announce", "spotlight"), required=False),
        moderator=True,
        private=True,
    )
    async def settings_command(self, ctx: CommandContext, **options: Any) -> Message:
        current: RecognitionSettings = self.settings.get(ctx.community)
        changes = self._changes(current, **options)
        if not changes:
            return render.settings_view(self.t, current)
        updated = await self.settings.update(ctx.community, ctx.now, **changes)
        if "spotlight_channel" in changes:
            await self.plan_spotlight(ctx.community)
        return render.settings_view(self.t, updated, self.t("recognition.settings.updated"))

    def _changes(
        self,
        current: RecognitionSettings,
        *,
        preset: str | None,
        cooldown: timedelta | None,
        allowance: int | None,
        loop_window: timedelta | None,
        pair_cap: int | None,
        emoji: str | None,
        confirm: str | None,
        thanks_add: str | None,
        thanks_remove: str | None,
        not_thanks_add: str | None,
        not_thanks_remove: str | None,
        weight: str | None,
        points: int | None,
        announce: str | None,
        spotlight: str | None,
        clear: str | None,
    ) -> dict[str, Any]:
        """Every option checked before anything is saved: a mistake changes nothing."""
        changes: dict[str, Any] = {}
        if preset is not None:
            limits = PRESETS[preset]
            changes.update(
                cooldown=limits.cooldown,
                daily_allowance=limits.allowance,
                loop_window=limits.loop_window,
                pair_cap=limits.pair_cap,
            )
        for key, value in (
            ("cooldown", cooldown),
            ("daily_allowance", allowance),
            ("loop_window", loop_window),
            ("pair_cap", pair_cap),
            ("confirm", confirm),
            ("announce_channel", announce),
            ("spotlight_channel", spotlight),
        ):
            if value is not None:
                changes[key] = value
        if emoji is not None:
            if not is_emoji(emoji):
                raise UserError(self.t("recognition.settings.bad_emoji", value=emoji))
            changes["reaction_emoji"] = emoji.strip()
        phrases = self._phrases("thanks", current.thanks_phrases, thanks_add, thanks_remove)
        if phrases != current.thanks_phrases:
            changes["thanks_phrases"] = phrases
        declines = self._phrases(
            "not_thanks", current.not_thanks_phrases, not_thanks_add, not_thanks_remove
        )
        if declines != current.not_thanks_phrases:
            changes["not_thanks_phrases"] = declines
        if (weight is None) != (points is None):
            raise UserError(self.t("recognition.settings.weight_pair"))
        if weight is not None:
            changes["weight_" + weight.replace("-", "_")] = points
        if clear is not None:
            if changes.get(f"{clear}_channel"):
                raise UserError(self.t("recognition.settings.clear_conflict", what=clear))
            changes[f"{clear}_channel"] = ""
        return changes

    def _phrases(
        self, which: str, phrases: list[str], add: str | None, remove: str | None
    ) -> list[str]:
        """``phrases`` with ``add`` and without ``remove``; ``which`` names the list in refusals
        (``thanks`` or ``not_thanks``)."""
        result = list(phrases)
        known = [normalize(p) for p in result]
        if remove is not None:
            if normalize(remove) not in known:
                shown = ", ".join(result) or "—"
                raise UserError(
                    self.t(f"recognition.settings.{which}_unknown", value=remove, known=shown)
                )
            del result[known.index(normalize(remove))]
        if add is not None:
            if not is_phrase(add):
                raise UserError(self.t("recognition.settings.thanks_no_words", value=add))
            if normalize(add) in [normalize(p) for p in result]:
                raise UserError(self.t(f"recognition.settings.{which}_known", value=add))
            if len(result) >= MAX_PHRASES:
                raise UserError(self.t(f"recognition.settings.{which}_full", max=MAX_PHRASES))
            result.append(add.strip())
        return result

    # --- role tiers -----------------------------------------------------------------------

    @command(
        "recognition role add",
        "Give a role to everyone who reaches a threshold (all time, or within a rolling window)",
        Role(name="role"),
        Choice(name="metric", choices=METRICS),
        Integer(name="threshold", min_value=1, max_value=1_000_000),
        Duration(
            name="window",
            minimum=timedelta(days=1),
            maximum=timedelta(days=366),
            required=False,
            description="rolling window such as 30d; all time when left out",
        ),
        moderator=True,
        private=True,
    )
    async def role_add(
        self,
        ctx: CommandContext,
        role: str,
        metric: str,
        threshold: int,
        window: timedelta | None,
    ) -> Message:
        if window is not None and metric == "tenure":
            raise UserError(self.t("recognition.roles.tenure_window"))
        return await self._add_tier(ctx, Tier(role, metric, threshold, window))

    @command(
        "recognition founding",
        "Give a role to the first N members, or to everyone who joined before a date",
        Role(name="role"),
        Integer(name="first", min_value=1, max_value=100_000, required=False),
        Text(name="before", max_length=10, required=False, description="a date such as 2026-01-01"),
        moderator=True,
        private=True,
    )
    async def founding(
        self, ctx: CommandContext, role: str, first: int | None, before: str | None
    ) -> Message:
        if (first is None) == (before is None):
            raise UserError(self.t("recognition.roles.founding_one"))
        joined_before = None
        if before is not None:
            joined_before = parse_day(before, self.bot.timezone(ctx.community))
            if joined_before is None:
                raise UserError(self.t("recognition.roles.bad_date", value=before))
        return await self._add_tier(ctx, Tier(role, FOUNDING, first or 0, None, joined_before))

    async def _add_tier(self, ctx: CommandContext, tier: Tier) -> Message:
        """Save a tier and give it to everyone who already qualifies.

        The first grant doubles as a test: when the platform refuses it (the bot cannot
        manage that role), the tier is not saved and the moderator hears what to fix.
        """
        community = ctx.community
        members = await self.store.current_members(community)
        eligible = await self.roles.eligible(community, tier, members, ctx.now)
        waiting = sorted(eligible.keys() - await self.store.holders(community, tier.role))
        if waiting and not await self.roles.grant(
            community, waiting[0], tier, eligible[waiting[0]], None
        ):
            raise UserError(
                self.t(
                    "recognition.roles.cannot_manage",
                    role=role_mention(tier.role),
                    person=mention(waiting[0]),
                )
            )
        await self.store.save_tier(community, tier, ctx.user.id, ctx.now)
        await self.roles.apply(community, tier, members, ctx.now)
        holders = len(await self.store.holders(community, tier.role))
        needs = self.roles.reason(community, tier, tier.threshold)
        return Message(
            self.t(
                "recognition.roles.added", role=role_mention(tier.role), needs=needs, count=holders
            )
        )

    @command(
        "recognition role remove",
        "Stop managing a role (people keep it; nobody new gets it)",
        Role(name="role", needs=UNCHECKED),
        moderator=True,
        private=True,
    )
    async def role_remove(self, ctx: CommandContext, role: str) -> Message:
        if not await self.store.remove_tier(ctx.community, role):
            tiers = await self.store.tiers(ctx.community)
            known = ", ".join(role_mention(t.role) for t in tiers) or self.t(
                "recognition.profile.none"
            )
            raise UserError(
                self.t("recognition.roles.unknown_tier", role=role_mention(role), known=known)
            )
        return Message(self.t("recognition.roles.removed", role=role_mention(role)))

    @command("recognition role list", "The recognition roles and how to earn them", private=True)
    async def role_list(self, ctx: CommandContext) -> Message:
        tiers = await self.store.tiers(ctx.community)
        return render.tiers_view(self.t, tiers, self.bot.timezone(ctx.community))
