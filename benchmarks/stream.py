"""The synthetic community stream, as plain records every contender consumes.

One seeded generator describes what happens (posts, reactions, joins); Hearth turns
the records into core events, the discord.py floor into gateway payloads and the
naive peer into its own handling, so all three see exactly the same traffic.

Traffic per community follows Zipf's law (community 0 is the busiest and holds the
glossary), as it does across real servers: a few large ones, a long tail of small ones.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from benchmarks.corpus import SCRIPTS, TextMaker

#: Discord-like snowflakes (19 digits), so ids have the width they have in production.
_SNOWFLAKE_BASE = 1_200_000_000_000_000_000

EMOJI = ("👍", "❤️", "🎉", "✅", "🙏", "⭐", "😂")


@dataclass(frozen=True, slots=True)
class Post:
    community: int
    channel: str
    message: str
    author: str
    text: str
    thread: str | None = None
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()
    starts_thread: bool = False


@dataclass(frozen=True, slots=True)
class React:
    community: int
    channel: str
    message: str
    user: str
    emoji: str
    message_author: str
    thread: str | None = None


@dataclass(frozen=True, slots=True)
class Join:
    community: int
    user: str


Record = Post | React | Join


@dataclass
class Community:
    index: int
    guild: str
    script: str | None  # None: all five scripts (the glossary community)
    channels: dict[str, str]  # general, help, helpers, missions, random -> channel id
    members: list[str]
    weight: float

    @property
    def id(self) -> str:
        return f"bench:{self.guild}"

    @property
    def name(self) -> str:
        return f"Community {self.index}"


@dataclass
class Layout:
    communities: list[Community]
    ids: Iterator[int] = field(repr=False)

    def snowflake(self) -> str:
        return str(next(self.ids))

    @property
    def members(self) -> int:
        return sum(len(c.members) for c in self.communities)


def member_name(user: str) -> str:
    return f"member{user[-6:]}"


def make_layout(communities: int, seed: int, *, biggest: int = 4000) -> Layout:
    """``communities`` communities; community ``r`` has weight 1/(r+1) and about
    ``biggest``/(r+1) members (at least 12)."""
    rng = random.Random(seed)
    ids = itertools.count(_SNOWFLAKE_BASE + rng.randrange(10**12))
    result: list[Community] = []
    for index in range(communities):
        guild = str(next(ids))
        channels = {
            role: str(next(ids)) for role in ("general", "help", "helpers", "missions", "random")
        }
        members = [str(next(ids)) for _ in range(max(12, round(biggest / (index + 1))))]
        script = None if index == 0 else SCRIPTS[index % len(SCRIPTS)]
        result.append(Community(index, guild, script, channels, members, 1.0 / (index + 1)))
    return Layout(result, ids)


@dataclass
class _State:
    recent: deque[tuple[str, str, str, str | None]] = field(
        default_factory=lambda: deque(maxlen=32)
    )  # message, channel, author, thread
    open_threads: deque[tuple[str, str, list[str]]] = field(
        default_factory=lambda: deque(maxlen=12)
    )  # root message, asker, responders


def records(
    layout: Layout,
    count: int,
    seed: int,
    glossary: dict[str, list[str]] | None = None,
) -> Iterator[Record]:
    """``count`` records. ``glossary`` maps script -> terms used in community 0's chatter.

    Mix (of all records): 0.4 % joins, 14 % reactions; of posts: 9 % questions in the
    help channel, 13 % answers in their threads, 4 % thanks from the asker to a
    responder (with a mention), 4 % thanks in the general channel, 10 % posts in the
    missions channel, the rest chatter (5 % of it mentioning someone; in community 0
    a third of it uses a glossary term).
    """
    rng = random.Random(seed)
    maker = TextMaker(rng)
    communities = layout.communities
    cumulative = list(itertools.accumulate(c.weight for c in communities))
    states = [_State() for _ in communities]
    produced = 0
    while produced < count:
        community = rng.choices(communities, cum_weights=cumulative)[0]
        state = states[community.index]
        script = community.script or rng.choice(SCRIPTS)
        roll = rng.random()
        if roll < 0.004:
            user = layout.snowflake()
            community.members.append(user)
            yield Join(community.index, user)
            produced += 1
            continue
        if roll < 0.144 and state.recent:
            message, channel, author, thread = rng.choice(state.recent)
            yield React(
                community.index,
                channel,
                message,
                rng.choice(community.members),
                rng.choice(EMOJI),
                author,
                thread,
            )
            produced += 1
            continue
        yield _post(layout, community, state, script, rng, maker, glossary)
        produced += 1


def _post(
    layout: Layout,
    community: Community,
    state: _State,
    script: str,
    rng: random.Random,
    maker: TextMaker,
    glossary: dict[str, list[str]] | None,
) -> Post:
    message = layout.snowflake()
    author = rng.choice(community.members)
    channels = community.channels
    kind = rng.random()
    post: Post
    if kind < 0.09 or (kind < 0.26 and not state.open_threads):
        post = Post(community.index, channels["help"], message, author, maker.question(script))
        state.open_threads.append((message, author, []))
    elif kind < 0.22:
        root, asker, responders = rng.choice(state.open_threads)
        while author == asker:
            author = rng.choice(community.members)
        responders.append(author)
        post = Post(
            community.index,
            channels["help"],
            message,
            author,
            maker.chatter(script),
            thread=root,
            reply_to=root,
        )
    elif kind < 0.26:
        root, asker, responders = rng.choice(state.open_threads)
        helper = rng.choice(responders) if responders else rng.choice(community.members)
        post = Post(
            community.index,
            channels["help"],
            message,
            asker,
            maker.thanks(script, f"<@{helper}>"),
            thread=root,
            reply_to=root,
            mentions=(helper,),
        )
    elif kind < 0.30:
        who = rng.choice(community.members)
        post = Post(
            community.index,
            channels["general"],
            message,
            author,
            maker.thanks(script, f"<@{who}>"),
            mentions=(who,),
        )
    elif kind < 0.40:
        post = Post(community.index, channels["missions"], message, author, maker.chatter(script))
    else:
        channel = channels["general"] if rng.random() < 0.7 else channels["random"]
        extra: str | None = None
        mentions: tuple[str, ...] = ()
        if glossary and community.index == 0 and rng.random() < 0.33:
            extra = rng.choice(glossary[script])
        elif rng.random() < 0.05:
            who = rng.choice(community.members)
            extra, mentions = f"<@{who}>", (who,)
        post = Post(
            community.index,
            channel,
            message,
            author,
            maker.chatter(script, extra),
            mentions=mentions,
        )
    state.recent.append((post.message, post.channel, post.author, post.thread))
    return post
