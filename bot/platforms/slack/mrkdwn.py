"""Text between the core's neutral form and Slack's mrkdwn, in both directions.

Outbound, only the people and user groups a message lists in ``mentions`` and
``role_mentions`` can be pinged: every other character people wrote is escaped
(``&``, ``<``, ``>``), so ``<!channel>``, ``<!here>``, ``<!everyone>`` and
``<!subteam^…>`` in their words show as text. A neutral ``<@U1>`` that is not
listed becomes plain ``@name`` (Slack's ``<@U1>`` always notifies); a neutral
``<@&S1>`` that is not listed becomes ``@handle``; ``<#C1>`` stays a channel
link, which never notifies, and so does a role that is a private channel.
Plain ``@here``, ``@channel`` or ``@handle`` would still ping where Slack parses
text automatically, so the renderer marks every text object ``verbatim`` (Slack
then reads only ``<…>`` tokens), and addresses go out as ``<https://…>`` links.

Inbound, Slack's tokens become the neutral ones (``<@U1|ann>`` → ``<@U1>``,
``<!subteam^S1|@mods>`` → ``<@&S1>``, ``<!here>`` → ``@here``, links → their
address) and the entities are decoded, so cogs see what people typed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

#: The neutral tokens a cog may write: ``<@U1>``, ``<@&S1>``, ``<#C1>`` (a ``|label`` is ignored).
NEUTRAL_TOKEN = re.compile(r"<(@&|@!?|#)([A-Za-z0-9_.-]+)(?:\|[^<>]*)?>")
_SLACK_TOKEN = re.compile(r"<([^<>]*)>")
#: Public (C…) and private (G…, or C… on newer workspaces) channel ids.
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")
_BROADCASTS = {"channel", "here", "everyone"}
#: A web address in plain text (trailing punctuation is not part of it).
_ADDRESS = re.compile(r"https?://[^\s<>|]*[^\s<>|.,;:!?'\")\]}]")


def escape(text: str) -> str:
    """Slack's three control characters, escaped: the text shows as written and pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: The neutral text uses Markdown's **bold** and ~~strike~~; Slack writes *bold* and ~strike~.
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")


def _plain(text: str) -> str:
    """Text with no tokens in it as mrkdwn: escaped, with its addresses as links (text
    objects are verbatim, so Slack does not make links of them by itself)."""
    text = _STRIKE.sub(r"~\1~", _BOLD.sub(r"*\1*", text))
    parts: list[str] = []
    position = 0
    for found in _ADDRESS.finditer(text):
        parts.append(escape(text[position : found.start()]))
        parts.append(f"<{escape(found.group())}>")
        position = found.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_mrkdwn(
    text: str,
    *,
    mentions: Collection[str] = (),
    role_mentions: Collection[str] = (),
    users: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
) -> str:
    """Neutral text as Slack mrkdwn that pings exactly ``mentions`` and ``role_mentions``.

    ``users`` and ``groups`` name the people and groups shown without a ping.
    """
    users = users or {}
    groups = groups or {}
    parts: list[str] = []
    position = 0
    for found in NEUTRAL_TOKEN.finditer(text):
        parts.append(_plain(text[position : found.start()]))
        kind, ident = found.group(1), found.group(2)
        if kind == "#" or (kind == "@&" and CHANNEL_ID.fullmatch(ident)):
            parts.append(f"<#{ident}>")  # a role can be a private channel
        elif kind == "@&":
            pinged = ident in role_mentions
            parts.append(
                f"<!subteam^{ident}>" if pinged else escape("@" + groups.get(ident, ident))
            )
        else:
            pinged = ident in mentions
            parts.append(f"<@{ident}>" if pinged else escape("@" + users.get(ident, ident)))
        position = found.end()
    parts.append(_plain(text[position:]))
    return "".join(parts)


def unlisted(
    text: str, mentions: Collection[str], role_mentions: Collection[str]
) -> tuple[set[str], set[str]]:
    """The user and group ids written in ``text`` that will be shown by name, not pinged."""
    users: set[str] = set()
    groups: set[str] = set()
    for found in NEUTRAL_TOKEN.finditer(text):
        kind, ident = found.group(1), found.group(2)
        if kind == "@&" and ident not in role_mentions:
            groups.add(ident)
        elif kind in ("@", "@!") and ident not in mentions:
            users.add(ident)
    return users, groups


def from_slack(text: str) -> tuple[str, tuple[str, ...]]:
    """Slack message text as neutral text, and the ids of the people it really mentions."""
    mentioned: list[str] = []

    def neutral(found: re.Match[str]) -> str:
        target, _, label = found.group(1).partition("|")
        if target.startswith("@"):
            mentioned.append(target[1:])
            return f"<@{target[1:]}>"
        if target.startswith("#"):
            return f"<#{target[1:]}>"
        if target.startswith("!subteam^"):
            return f"<@&{target.removeprefix('!subteam^')}>"
        if target.startswith("!"):
            special = target[1:].split("^", 1)[0]
            return "@" + special if special in _BROADCASTS else label or special
        address = target.removeprefix("mailto:")
        return address if not label or label in address else f"{label} ({address})"

    text = _SLACK_TOKEN.sub(neutral, text)
    return unescape(text), tuple(dict.fromkeys(mentioned))


# --- emoji ----------------------------------------------------------------------------

#: The emoji cogs use, by Slack name. Reactions arrive as names and go out as names;
#: the core speaks Unicode. Others arrive as ``:name:`` and may be sent that way.
EMOJI_NAMES: dict[str, str] = {
    "✅": "white_check_mark",
    "✔️": "heavy_check_mark",
    "⭐": "star",
    "🌟": "star2",
    "👋": "wave",
    "🎉": "tada",
    "❤️": "heart",
    "👍": "+1",
    "👎": "-1",
    "👀": "eyes",
    "🙏": "pray",
    "🙌": "raised_hands",
    "👏": "clap",
    "🔥": "fire",
    "💯": "100",
    "🚀": "rocket",
    "💡": "bulb",
    "📌": "pushpin",
    "❓": "question",
    "❌": "x",
}
_EMOJI_BY_NAME = {name: emoji for emoji, name in EMOJI_NAMES.items()}
_EMOJI_BY_NAME.update({"thumbsup": "👍", "thumbsdown": "👎", "heavy_heart": "❤️"})
_NAME = re.compile(r"^:?([a-z0-9_+'-]+)(?:::skin-tone-\d)?:?$")


def emoji_name(emoji: str) -> str | None:
    """Slack's name for ``emoji`` (``✅`` → ``white_check_mark``, ``:party:`` → ``party``)."""
    emoji = emoji.strip()
    if emoji in EMOJI_NAMES:
        return EMOJI_NAMES[emoji]
    if emoji + "\ufe0f" in EMOJI_NAMES:
        return EMOJI_NAMES[emoji + "\ufe0f"]
    found = _NAME.match(emoji)
    return found.group(1) if found else None


def emoji_from_name(name: str) -> str:
    """The core's form of a Slack reaction: Unicode when known, else ``:name:``."""
    base = name.split("::", 1)[0]  # "+1::skin-tone-2": the tone does not change the meaning
    return _EMOJI_BY_NAME.get(base, f":{base}:")
