"""/questions config: from the options given to a checked plan of changes. Pure, no I/O.

Everything is validated before anything is written, so a mistake changes nothing.
A problem is raised as :class:`ConfigProblem` (a catalog key and its values); the
cog shows it as a friendly private message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from bot.text import QUESTION_WORDS
from bot.timeutil import format_duration
from bot.timeutil import timezone as find_timezone
from cogs.questions import options
from cogs.questions.detect import CONSERVATIVE, HELP, WATCH, ChannelRule
from cogs.questions.settings import QuestionsSettings

#: Options that map one-to-one onto a setting of the same name.
DIRECT = (
    "helper_role",
    "helpers_channel",
    "renudge_every",
    "max_nudges",
    "escalate_after",
    "check_in_after",
    "close_after",
    "claim_for",
    "target",
    "rate_limit",
    "rate_window",
    "answer_letters",
)


class ConfigProblem(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class ConfigPlan:
    settings: dict[str, Any] = field(default_factory=dict)
    channel: tuple[str, ChannelRule] | None = None
    remove: str | None = None
    timezone: ZoneInfo | None = None

    @property
    def empty(self) -> bool:
        return not (self.settings or self.channel or self.remove or self.timezone)


def plan_config(
    given: dict[str, Any], current: QuestionsSettings, channels: dict[str, ChannelRule]
) -> ConfigPlan:
    """``given``: the command's options by Python name (None when not given)."""
    values = {key: value for key, value in given.items() if value is not None}
    targets = [k for k in ("help_channel", "watch_channel", "remove_channel") if k in values]
    if len(targets) > 1:
        raise ConfigProblem("questions.config.one_channel")
    if "mode" in values and "watch_channel" not in values:
        raise ConfigProblem("questions.config.mode_needs_watch")
    settings = {key: values[key] for key in DIRECT if key in values}
    channel = remove = None
    if "remove_channel" in values:
        remove = values["remove_channel"]
        if remove not in channels:
            raise ConfigProblem("questions.config.not_watched", channel=remove)
        if "nudge_after" in values:
            raise ConfigProblem("questions.config.nudge_with_remove")
    elif targets:
        name = values[targets[0]]
        old = channels.get(name)
        nudge = values.get("nudge_after", old.nudge_after if old else None)
        if targets[0] == "help_channel":
            channel = (name, ChannelRule(HELP, CONSERVATIVE, nudge))
        else:
            mode = values.get("mode") or (old.mode if old else CONSERVATIVE)
            channel = (name, ChannelRule(WATCH, mode, nudge))
    elif "nudge_after" in values:
        settings["nudge_after"] = values["nudge_after"]
    if "quiet_hours" in values:
        try:
            span = options.quiet_hours(values["quiet_hours"])
        except ValueError:
            raise ConfigProblem("questions.config.bad_quiet", value=values["quiet_hours"]) from None
        settings["quiet_start"], settings["quiet_end"] = span or (None, None)
    if "languages" in values:
        try:
            settings["languages"] = options.languages(values["languages"])
        except ValueError as error:
            known = ", ".join(sorted(QUESTION_WORDS))
            raise ConfigProblem(
                "questions.config.bad_languages", value=str(error), known=known
            ) from None
    zone = None
    if "timezone" in values:
        zone = find_timezone(values["timezone"])
        if zone is None:
            raise ConfigProblem("questions.config.bad_timezone", value=values["timezone"])
    after = replace(current, **settings)
    if after.check_in_after >= after.close_after:
        raise ConfigProblem(
            "questions.config.check_in_before_close",
            check_in=format_duration(after.check_in_after),
            close=format_duration(after.close_after),
        )
    return ConfigPlan(settings, channel, remove, zone)
