"""Building the cog's messages from the catalog, and storing a Message in the outbox as JSON.

Text people wrote (question excerpts) is shown as written: only the ids a message
lists in ``mentions``/``role_mentions`` can ping, and adapters neutralise the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime, time, timedelta
from typing import Any

from bot.catalog import Catalog
from bot.messages import (
    COLOUR_INFO,
    COLOUR_SUCCESS,
    COLOUR_WARNING,
    Button,
    Field,
    Message,
    MessageRef,
    channel_mention,
    mention,
    role_mention,
)
from bot.text import truncate
from bot.timeutil import format_duration
from cogs.questions.detect import HELP, ChannelRule
from cogs.questions.models import Question
from cogs.questions.settings import QuestionsSettings
from cogs.questions.stats import Summary

EXCERPT_LENGTH = 80
LISTED = 15


def message_to_json(message: Message) -> str:
    data = asdict(message)
    data.pop("attachments")
    return json.dumps(data, ensure_ascii=False)


def message_from_json(text: str) -> Message:
    data: dict[str, Any] = json.loads(text)
    data["fields"] = tuple(Field(**f) for f in data["fields"])
    data["buttons"] = tuple(Button(**b) for b in data["buttons"])
    data["mentions"] = tuple(data["mentions"])
    data["role_mentions"] = tuple(data["role_mentions"])
    data["progress"] = None
    return Message(**data)


def excerpt(text: str) -> str:
    """A one-line preview of a question, cut at a grapheme and word boundary."""
    return truncate(" ".join(text.split()), EXCERPT_LENGTH)


class Renderer:
    def __init__(self, catalog: Catalog, link: Callable[[MessageRef], str | None]) -> None:
        self.catalog = catalog
        self._link = link

    def t(self, key: str, **params: object) -> str:
        return self.catalog.text(key, **params)

    def link(self, q: Question) -> str:
        ref = MessageRef(q.community, q.channel, q.message, q.thread)
        return self._link(ref) or self.t("questions.list.no_link", number=q.id)

    def line(self, q: Question, now: datetime) -> str:
        claim = ""
        if q.claimed_by and q.claim_until and q.claim_until > now:
            claim = self.t("questions.list.claimed", user=mention(q.claimed_by))
        quote = self.t("questions.list.excerpt", text=q.excerpt) if q.excerpt else ""
        return self.t(
            "questions.list.line",
            number=q.id,
            link=self.link(q),
            channel=channel_mention(q.channel),
            age=format_duration(now - q.asked_at),
            claim=claim,
            excerpt=quote,
        )

    def lines(self, questions: Sequence[Question], now: datetime, total: int) -> str:
        shown = [self.line(q, now) for q in questions[:LISTED]]
        if total > len(shown):
            shown.append(self.t("questions.list.more", count=total - len(shown)))
        return "\n".join(shown)

    # --- the helpers' digest -----------------------------------------------------------

    def digest(
        self,
        reminded: Sequence[Question],
        escalated: Sequence[Question],
        now: datetime,
        *,
        on_duty: Sequence[str],
        helper_role: str,
        moderator_roles: Sequence[str],
        escalate_after: timedelta,
    ) -> Message:
        """One message for one sweep: the reminded questions, then the ones for moderators."""
        if on_duty:
            pings, mentions, roles = " ".join(map(mention, on_duty)), tuple(on_duty), ()
        elif helper_role:
            pings, mentions, roles = role_mention(helper_role), (), (helper_role,)
        else:
            pings, mentions, roles = "", (), ()
        fields = []
        if escalated:
            fields.append(
                Field(
                    self.t("questions.digest.escalated", after=format_duration(escalate_after)),
                    self.lines(escalated, now, len(escalated)),
                )
            )
            roles = (*roles, *(r for r in moderator_roles if r not in roles))
            pings = " ".join([pings, *(role_mention(r) for r in moderator_roles)]).strip()
        text = self.t("questions.digest.intro", pings=pings).strip()
        if reminded:
            text += "\n" + self.lines(reminded, now, len(reminded))
        return Message(
            text,
            title=self.t("questions.digest.title", count=len(reminded) or len(escalated)),
            fields=tuple(fields),
            colour=COLOUR_WARNING if escalated else COLOUR_INFO,
            footer=self.t("questions.digest.footer"),
            mentions=mentions,
            role_mentions=roles,
        )

    # --- following up ----------------------------------------------------------------------

    def check_in(self, q: Question) -> Message:
        """Sent to the asker privately, or in the question's thread when that fails."""
        return Message(
            self.t("questions.check_in.text", asker=mention(q.asker), link=self.link(q)),
            buttons=(
                Button(
                    self.t("questions.check_in.solved"), "questions.solved", str(q.id), "success"
                ),
                Button(self.t("questions.check_in.still"), "questions.still", str(q.id), "primary"),
            ),
            mentions=(q.asker,),
        )

    def closed(self, q: Question, after: timedelta) -> Message:
        return Message(
            self.t("questions.closed", asker=mention(q.asker), after=format_duration(after))
        )

    # --- commands ----------------------------------------------------------------------------

    def waiting(self, questions: Sequence[Question], total: int, now: datetime) -> Message:
        if not questions:
            return Message(self.t("questions.open.none"), colour=COLOUR_SUCCESS)
        return Message(
            self.lines(questions, now, total),
            title=self.t("questions.open.title", count=total),
            footer=self.t("questions.open.footer"),
        )

    def stats(self, summary: Summary, label: str, target: timedelta) -> Message:
        none = self.t("questions.stats.none")

        def duration(value: timedelta | None) -> str:
            return none if value is None else format_duration(value)

        def share(value: float | None) -> str:
            return none if value is None else f"{value:.0%}"

        hours = ", ".join(
            self.t("questions.stats.hour", hour=f"{h:02d}:00", count=n)
            for h, n in summary.busiest_hours
        )
        people = ", ".join(
            self.t("questions.stats.responder", user=mention(u), count=n)
            for u, n in summary.top_responders
        )
        return Message(
            title=self.t("questions.stats.title", period=label),
            fields=(
                Field(self.t("questions.stats.asked"), str(summary.asked), True),
                Field(
                    self.t("questions.stats.answered"),
                    self.t(
                        "questions.stats.answered_value",
                        count=summary.answered,
                        share=share(summary.answered_share),
                    ),
                    True,
                ),
                Field(self.t("questions.stats.median"), duration(summary.median), True),
                Field(self.t("questions.stats.p90"), duration(summary.p90), True),
                Field(
                    self.t("questions.stats.within", target=format_duration(target)),
                    share(summary.within_target),
                    True,
                ),
                Field(self.t("questions.stats.busiest"), hours or none),
                Field(self.t("questions.stats.responders"), people or none),
            ),
            colour=COLOUR_INFO,
        )

    def config(
        self,
        settings: QuestionsSettings,
        channels: dict[str, ChannelRule],
        timezone: str,
    ) -> Message:
        none = self.t("questions.config.none")
        listed = []
        for channel, rule in sorted(channels.items()):
            key = "questions.config.help" if rule.kind == HELP else "questions.config.watch"
            after = "" if rule.nudge_after is None else format_duration(rule.nudge_after)
            extra = self.t("questions.config.channel_nudge", after=after) if after else ""
            listed.append(
                self.t(key, channel=channel_mention(channel), mode=rule.mode, nudge=extra)
            )

        def clock(value: time | None) -> str:
            return "" if value is None else value.strftime("%H:%M")

        quiet = none
        if settings.quiet_start and settings.quiet_end:
            quiet = f"{clock(settings.quiet_start)}–{clock(settings.quiet_end)} ({timezone})"
        timings = self.t(
            "questions.config.timings_value",
            nudge=format_duration(settings.nudge_after),
            renudge=format_duration(settings.renudge_every),
            max=settings.max_nudges,
            escalate=format_duration(settings.escalate_after),
            check_in=format_duration(settings.check_in_after),
            close=format_duration(settings.close_after),
            claim=format_duration(settings.claim_for),
        )
        return Message(
            title=self.t("questions.config.title"),
            fields=(
                Field(self.t("questions.config.channels"), "\n".join(listed) or none),
                Field(
                    self.t("questions.config.helper_role"),
                    role_mention(settings.helper_role) if settings.helper_role else none,
                    True,
                ),
                Field(
                    self.t("questions.config.helpers_channel"),
                    channel_mention(settings.helpers_channel) if settings.helpers_channel else none,
                    True,
                ),
                Field(self.t("questions.config.languages"), ", ".join(settings.languages), True),
                Field(self.t("questions.config.timings"), timings),
                Field(self.t("questions.config.quiet_hours"), quiet, True),
                Field(self.t("questions.config.target"), format_duration(settings.target), True),
                Field(
                    self.t("questions.config.rate_limit"),
                    self.t(
                        "questions.config.rate_limit_value",
                        count=settings.rate_limit,
                        window=format_duration(settings.rate_window),
                    ),
                    True,
                ),
                Field(
                    self.t("questions.config.answer_letters"),
                    self.t("questions.config.answer_letters_value", count=settings.answer_letters),
                    True,
                ),
            ),
            footer=self.t("questions.config.footer"),
        )
