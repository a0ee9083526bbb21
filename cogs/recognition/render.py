"""Building the messages people read: profiles, boards, history, settings, tiers, spotlight.

Pure functions of their data and the catalog's ``t``. People are written with
``mention(id)`` so platforms show their names, but boards never list anyone in
``Message.mentions``: reading a board pings nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.messages import COLOUR_INFO, Field, Message, channel_mention, mention, role_mention
from bot.text import truncate
from bot.timeutil import format_duration
from cogs.recognition.board_queries import Kudos, Thanked
from cogs.recognition.rules import PRESETS, Limits, Tier, preset_of
from cogs.recognition.settings import WEIGHTS, RecognitionSettings

T = Callable[..., str]
REASON_SHOWN = 120


def span(t: T, window: timedelta) -> str:
    """A window as people say it: "30 days", "1 day", else "36h"."""
    if window % timedelta(days=1):
        return format_duration(window)
    days = window.days
    return t("recognition.time.day") if days == 1 else t("recognition.time.days", count=days)


def describe_tier(t: T, tier: Tier, value: int, tz: ZoneInfo) -> str:
    """What ``value`` of ``tier``'s metric means: "25 answers in the last 30 days"."""
    if tier.founding:
        if tier.joined_before is not None:
            day = tier.joined_before.astimezone(tz).date().isoformat()
            return t("recognition.metric.founding_before", date=day)
        return t("recognition.metric.founding_first", count=tier.threshold)
    text = t(f"recognition.metric.{tier.metric.replace('-', '_')}", value=value)
    if tier.window is not None:
        text += t("recognition.metric.window", window=span(t, tier.window))
    return text


def quoted(reason: str) -> str:
    return f"“{truncate(reason, REASON_SHOWN)}”" if reason else ""


def with_reason(t: T, key: str, reason: str, **params: object) -> str:
    """``key`` with the reason quoted, or ``key_bare`` when there is none."""
    if reason:
        return t(key, reason=quoted(reason), **params)
    return t(key + "_bare", **params)


def _ranked(t: T, rows: Sequence[tuple[str, int]], empty: str) -> str:
    lines = [
        t("recognition.board.line", rank=i, person=mention(user), points=points)
        for i, (user, points) in enumerate(rows, start=1)
    ]
    return "\n".join(lines) or empty


def profile(
    t: T,
    person: str,
    *,
    by_kind: dict[str, tuple[int, int]],
    recent_points: int,
    recent: Sequence[Kudos],
    roles: set[str],
    tenure: int | None,
) -> Message:
    total = sum(points for _, points in by_kind.values())
    earned = [
        t(f"recognition.kind.{kind}", count=by_kind[kind][0], points=by_kind[kind][1])
        for kind in WEIGHTS
        if kind in by_kind
    ]
    thanks = [
        with_reason(t, "recognition.profile.kudos_line", k.reason, giver=mention(k.giver))
        for k in recent
    ]
    missions = t(
        "recognition.profile.missions_value",
        contributed=by_kind.get("mission", (0, 0))[0],
        completed=by_kind.get("mission_completed", (0, 0))[0],
    )
    none = t("recognition.profile.none")
    fields = (
        Field(
            t("recognition.profile.points"),
            t("recognition.profile.points_value", total=total, recent=recent_points),
            inline=True,
        ),
        Field(
            t("recognition.profile.tenure"),
            none if tenure is None else t("recognition.profile.tenure_value", days=tenure),
            inline=True,
        ),
        Field(t("recognition.profile.earned"), "\n".join(earned) or none),
        Field(t("recognition.profile.roles"), " ".join(sorted(map(role_mention, roles))) or none),
        Field(t("recognition.profile.missions"), missions),
        Field(t("recognition.profile.recent"), "\n".join(thanks) or none),
    )
    return Message(
        t("recognition.profile.title", person=mention(person)), fields=fields, colour=COLOUR_INFO
    )


def home(t: T, by_kind: dict[str, tuple[int, int]], roles: set[str]) -> Message:
    """Short, for the App Home: points, kudos received and roles."""
    total = sum(points for _, points in by_kind.values())
    kudos = by_kind.get("kudos", (0, 0))[0]
    shown = " ".join(sorted(map(role_mention, roles))) or t("recognition.profile.none")
    return Message(
        t("recognition.home.text", points=total, kudos=kudos, roles=shown),
        title=t("recognition.home.title"),
        colour=COLOUR_INFO,
    )


def leaderboard(
    t: T, period: str, top: Sequence[tuple[str, int]], newcomers: Sequence[tuple[str, int]]
) -> Message:
    return Message(
        title=t(f"recognition.board.title_{period}"),
        fields=(
            Field(t("recognition.board.top"), _ranked(t, top, t("recognition.board.empty"))),
            Field(
                t("recognition.board.newcomers"),
                _ranked(t, newcomers, t("recognition.board.no_newcomers")),
            ),
        ),
        colour=COLOUR_INFO,
    )


def history(t: T, rows: Sequence[Kudos], tz: ZoneInfo) -> Message:
    lines = [
        with_reason(
            t,
            "recognition.history.line",
            k.reason,
            at=k.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            giver=mention(k.giver),
            receiver=mention(k.receiver),
            source=t(f"recognition.source.{k.source}"),
        )
        + ("" if k.counted else t("recognition.history.uncounted"))
        for k in rows
    ]
    return Message(
        "\n".join(lines) or t("recognition.history.empty"), title=t("recognition.history.title")
    )


def settings_view(t: T, s: RecognitionSettings, note: str = "") -> Message:
    limits = Limits(s.cooldown, s.daily_allowance, s.loop_window, s.pair_cap)
    preset = preset_of(limits) or t("recognition.settings.custom")
    presets = "\n".join(_limits(t, name, preset) for name, preset in PRESETS.items())
    weights = " · ".join(
        t("recognition.settings.weight", kind=kind.replace("_", "-"), points=s.weight(kind))
        for kind in WEIGHTS
    )
    announce = channel_mention(s.announce_channel) if s.announce_channel else None
    spotlight = channel_mention(s.spotlight_channel) if s.spotlight_channel else None
    fields = (
        Field(
            t("recognition.settings.limits"),
            _limits(t, preset, limits),
        ),
        Field(t("recognition.settings.presets"), presets),
        Field(t("recognition.settings.emoji"), s.reaction_emoji, inline=True),
        Field(t("recognition.settings.confirm"), s.confirm, inline=True),
        Field(t("recognition.settings.thanks"), ", ".join(s.thanks_phrases) or "—"),
        Field(t("recognition.settings.not_thanks"), ", ".join(s.not_thanks_phrases) or "—"),
        Field(t("recognition.settings.weights"), weights),
        Field(
            t("recognition.settings.announce"),
            announce or t("recognition.settings.announce_default"),
            inline=True,
        ),
        Field(
            t("recognition.settings.spotlight"),
            spotlight or t("recognition.settings.off"),
            inline=True,
        ),
    )
    return Message(note, title=t("recognition.settings.title"), fields=fields)


def _limits(t: T, name: str, limits: Limits) -> str:
    return t(
        "recognition.settings.limits_value",
        preset=name,
        cooldown=format_duration(limits.cooldown),
        allowance=limits.allowance,
        loop=format_duration(limits.loop_window),
        cap=limits.pair_cap,
    )


def tiers_view(t: T, tiers: Sequence[Tier], tz: ZoneInfo) -> Message:
    lines = [
        t(
            "recognition.roles.list_line",
            role=role_mention(tier.role),
            needs=describe_tier(t, tier, tier.threshold, tz),
            kind=t("recognition.roles.rolling" if tier.rolling else "recognition.roles.kept"),
        )
        for tier in tiers
    ]
    return Message(
        "\n".join(lines) or t("recognition.roles.list_empty"),
        title=t("recognition.roles.list_title"),
    )


def spotlight(t: T, thanked: Sequence[Thanked]) -> Message:
    lines = [
        with_reason(
            t, "recognition.spotlight.line", th.reason, person=mention(th.user), count=th.count
        )
        for th in thanked
    ]
    return Message(
        t("recognition.spotlight.intro") + "\n" + "\n".join(lines),
        title=t("recognition.spotlight.title"),
    )
