"""The fake Slack drives the real slack-bolt AsyncApp, over HTTP and Socket Mode, on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.fake_slack import FakeSlack, serve_app

GENERAL = "C0GENERAL"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk reads HTTP(S)_PROXY and ignores NO_PROXY: it would send 127.0.0.1 to a proxy.
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


def make_app(fake: FakeSlack, **client_kwargs: object) -> AsyncApp:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_base_url, **client_kwargs)
    return AsyncApp(client=client, signing_secret=fake.signing_secret)


# ---- HTTP mode ----


async def test_http_message_event_reaches_listener_that_says(fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    app = make_app(fake)

    @app.message("hello")
    async def greet(message, say) -> None:
        await say(f"hi <@{message['user']}>", thread_ts=message["ts"])

    async with serve_app(app.web_app()) as url:
        event = fake.message_event(GENERAL, alice, "hello there")
        reply = await fake.post_event(url, event)
        assert reply.status == 200
        [call] = await fake.wait_for_call("chat.postMessage")

    assert call.ok and call.token == "xoxb-test"
    assert call.args["channel"] == GENERAL and call.args["text"] == f"hi <@{alice}>"
    assert fake.calls[0].method == "auth.test"  # Bolt authorizes on the first request
    reply_ts = call.response["ts"]
    assert fake.messages[(GENERAL, reply_ts)]["thread_ts"] == event["ts"]


async def test_http_rejects_bad_signature_and_old_timestamp(fake: FakeSlack) -> None:
    app = make_app(fake)

    @app.event("team_join")
    async def joined(event, say) -> None:
        await say(channel=GENERAL, text=f"welcome {event['user']['id']}")

    async with serve_app(app.web_app()) as url:
        bad = await fake.post_event(url, fake.team_join_event("U1"), secret="wrong-secret")
        old = await fake.post_event(url, fake.team_join_event("U2"), timestamp=time.time() - 600)
        good = await fake.post_event(url, fake.team_join_event("U3", "carol"))
        [welcome] = await fake.wait_for_call("chat.postMessage")
    assert (bad.status, old.status, good.status) == (401, 401, 200)
    assert bad.json() == {"error": "invalid request"}
    assert welcome.args["text"] == "welcome U3"


async def test_http_slash_command_acks_and_respond_reaches_response_url(fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    app = make_app(fake)

    @app.command("/hearth")
    async def hearth(ack, command, respond) -> None:
        await ack("working on it")
        await respond(f"you said {command['text']}", response_type="in_channel")

    async with serve_app(app.web_app()) as url:
        reply = await fake.post_command(
            url, fake.slash_command("/hearth", "help", user=alice, channel=GENERAL)
        )
        assert (reply.status, reply.text) == (200, "working on it")
        [call] = await fake.wait_for_call("response_url")
    assert call.args == {"text": "you said help", "response_type": "in_channel"}
    assert fake.messages_in(GENERAL)[-1]["text"] == "you said help"


async def test_http_block_actions_and_message_shortcut(fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    app = make_app(fake)
    pressed: list[str] = []

    @app.action("join")
    async def join(ack, body, action, respond) -> None:
        await ack()
        pressed.append(action["value"])
        await respond(text=f"<@{body['user']['id']}> joined", replace_original=True)

    @app.shortcut("save")
    async def save(ack, shortcut, client) -> None:
        await ack()
        await client.reactions_add(
            channel=shortcut["channel"]["id"], timestamp=shortcut["message_ts"], name="bookmark"
        )

    msg = fake.add_message(GENERAL, "Join the mission?", user=fake.bot_user_id)
    async with serve_app(app.web_app()) as url:
        press = fake.block_actions(GENERAL, msg["ts"], user=alice, action_id="join", value="m1")
        assert (await fake.post_interactive(url, press)).status == 200
        await fake.wait_for_call("response_url")
        shortcut = fake.message_shortcut(GENERAL, msg["ts"], user=alice, callback_id="save")
        assert (await fake.post_interactive(url, shortcut)).status == 200
        await fake.wait_for_call("reactions.add")
    assert pressed == ["m1"]
    stored = fake.messages[(GENERAL, msg["ts"])]
    assert stored["text"] == f"<@{alice}> joined"
    assert stored["reactions"] == [{"name": "bookmark", "users": [fake.bot_user_id], "count": 1}]


# ---- Socket Mode ----


async def test_socket_mode_events_commands_and_reconnect(fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    app = make_app(fake)

    @app.event("reaction_added")
    async def reacted(event, client) -> None:
        await client.chat_postMessage(
            channel=event["item"]["channel"], text=f":{event['reaction']}:"
        )

    @app.command("/hearth")
    async def hearth(ack) -> None:
        await ack(text="pong")

    # The handler's SocketModeClient uses app.client (base_url = the fake) unless web_client=.
    handler = AsyncSocketModeHandler(app, app_token="xapp-1-test")
    try:
        await handler.connect_async()
        await fake.wait_for_socket()
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.token == "xapp-1-test"

        msg = fake.add_message(GENERAL, "nice", user=alice)
        ack = await fake.push_event(fake.reaction_event(GENERAL, msg["ts"], alice, "tada"))
        assert set(ack) == {"envelope_id"}
        [post] = await fake.wait_for_call("chat.postMessage")
        assert post.args["text"] == ":tada:"

        ack = await fake.push_command(
            fake.slash_command("/hearth", "", user=alice, channel=GENERAL)
        )
        assert ack["payload"] == {"text": "pong"}

        await fake.socket_disconnect()
        await fake.wait_for_socket(2)
        assert len(fake.calls_to("apps.connections.open")) == 2
        ack = await fake.push_command(
            fake.slash_command("/hearth", "", user=alice, channel=GENERAL)
        )
        assert ack["payload"] == {"text": "pong"}
    finally:
        await handler.close_async()


async def test_socket_mode_event_builders_reach_bolt_listeners(fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    bob = fake.add_user(name="bob")["id"]
    app = make_app(fake)
    seen: list[tuple[str, str | None, str | None, str | None]] = []

    async def record(event, context, client) -> None:
        seen.append((event["type"], event.get("subtype"), context.user_id, context.channel_id))
        await client.chat_postMessage(channel=GENERAL, text=event["type"])

    app.message("")(record)
    app.event({"type": "message", "subtype": "message_changed"})(record)
    app.event({"type": "message", "subtype": "message_deleted"})(record)
    for event_type in ("team_join", "member_joined_channel", "app_home_opened"):
        app.event(event_type)(record)
    app.event("reaction_added")(record)
    app.event("reaction_removed")(record)

    @app.action("vote")
    async def vote(ack, action, body, client) -> None:
        await ack()
        seen.append(("block_actions", action["value"], None, None))
        await client.reactions_add(
            channel=body["channel"]["id"], timestamp=body["container"]["message_ts"], name="+1"
        )

    handler = AsyncSocketModeHandler(app, app_token="xapp-1-test")
    try:
        await handler.connect_async()
        root = fake.message_event(GENERAL, alice, "root")
        reply = fake.message_event(GENERAL, alice, "reply", thread_ts=root["ts"])
        events = [
            reply,
            fake.message_changed_event(GENERAL, reply["ts"], "edited"),
            fake.reaction_event(GENERAL, root["ts"], bob, "eyes"),
            fake.reaction_event(GENERAL, root["ts"], bob, "eyes", added=False),
            fake.message_deleted_event(GENERAL, reply["ts"]),
            fake.team_join_event("U0NEW", "dana"),
            fake.member_joined_channel_event(GENERAL, bob),
            fake.app_home_opened_event(alice),
        ]
        for event in events:
            assert set(await fake.push_event(event)) == {"envelope_id"}
        await fake.wait_for_call("chat.postMessage", count=len(events))
        ack = await fake.push_interactive(
            fake.block_actions(GENERAL, root["ts"], user=bob, action_id="vote", value="yes")
        )
        assert set(ack) == {"envelope_id"}
        await fake.wait_for_call("reactions.add")
    finally:
        await handler.close_async()

    dm = fake.open_dm([alice])["id"]
    assert seen == [
        ("message", None, alice, GENERAL),
        ("message", "message_changed", alice, GENERAL),
        ("reaction_added", None, bob, GENERAL),
        ("reaction_removed", None, bob, GENERAL),
        ("message", "message_deleted", alice, GENERAL),
        ("team_join", None, "U0NEW", None),
        ("member_joined_channel", None, bob, GENERAL),
        ("app_home_opened", None, alice, dm),
        ("block_actions", "yes", None, None),
    ]
    assert (GENERAL, reply["ts"]) not in fake.messages and "U0NEW" in fake.users
    assert bob in fake.channels[GENERAL]["members"]


# ---- Web API, failures, retries ----


async def test_rate_limited_post_is_retried_after_retry_after(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler sleeps int(Retry-After) + random.random(): take the jitter out.
    monkeypatch.setattr(builtin_async_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    alice = fake.add_user(name="alice")["id"]
    app = make_app(fake, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])

    @app.message("hello")
    async def greet(say) -> None:
        await say("hi")

    fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    async with serve_app(app.web_app()) as url:
        await fake.post_event(url, fake.message_event(GENERAL, alice, "hello"))
        first, second = await fake.wait_for_call("chat.postMessage", count=2, timeout=5)
    assert (first.status, second.status) == (429, 200) and second.ok
    assert 1.0 <= second.at - first.at < 2.0
    assert fake.messages_in(GENERAL)[-1]["text"] == "hi"


async def test_errors_without_retry_handler_and_model_methods() -> None:
    async with FakeSlack(usergroups_enabled=False) as fake:
        bob = fake.add_user(name="bob", is_admin=True)["id"]
        secret = fake.add_channel("mods", is_private=True, members=[fake.bot_user_id])["id"]
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_base_url)

        fake.fail_next("chat.postMessage")  # 429, not retried by default
        with pytest.raises(SlackApiError) as err:
            await client.chat_postMessage(channel=GENERAL, text="x")
        assert (
            err.value.response.status_code == 429 and err.value.response["error"] == "ratelimited"
        )
        fake.error_next("users.info", "user_not_found")
        with pytest.raises(SlackApiError, match="user_not_found"):
            await client.users_info(user=bob)
        with pytest.raises(SlackApiError, match="paid_teams_only"):
            await client.usergroups_list()
        with pytest.raises(SlackApiError, match="unknown_method"):
            await client.api_call("hearth.nothing")
        assert fake.calls[-1].method == "hearth.nothing"

        assert (await client.users_info(user=bob))["user"]["is_admin"] is True
        dm = (await client.conversations_open(users=bob))["channel"]["id"]
        assert dm.startswith("D") and fake.channels[dm]["is_im"]
        sent = await client.chat_postMessage(channel=dm, text="welcome")
        await client.chat_update(channel=dm, ts=sent["ts"], text="welcome!")
        assert fake.messages[(dm, sent["ts"])]["text"] == "welcome!"
        link = await client.chat_getPermalink(channel=dm, message_ts=sent["ts"])
        assert link["permalink"].endswith("p" + sent["ts"].replace(".", ""))
        await client.pins_add(channel=dm, timestamp=sent["ts"])
        await client.chat_delete(channel=dm, ts=sent["ts"])
        assert (dm, sent["ts"]) not in fake.messages
        await client.conversations_invite(channel=secret, users=[bob])
        members = (await client.conversations_members(channel=secret))["members"]
        assert members == [fake.bot_user_id, bob]
        info = await client.conversations_info(channel=secret)
        assert info["channel"]["is_private"] is True and info["channel"]["is_member"] is True
        fake.channels[secret]["members"].remove(fake.bot_user_id)  # Hearth was removed
        with pytest.raises(SlackApiError, match="channel_not_found"):  # as Slack answers
            await client.conversations_info(channel=secret)
        await client.views_publish(user_id=bob, view={"type": "home", "blocks": []})
        assert fake.home_views[bob]["type"] == "home"
        upload = await client.files_upload_v2(
            channel=GENERAL, content="a,b\n1,2", filename="x.csv", title="X"
        )
        assert (
            upload["file"]["title"] == "X"
            and fake.files[upload["file"]["id"]]["content"] == b"a,b\n1,2"
        )

        fake.usergroups_enabled = True
        group = (await client.usergroups_create(name="Mentors", handle="mentors"))["usergroup"]
        await client.usergroups_users_update(usergroup=group["id"], users=[bob])
        groups = (await client.usergroups_list(include_users=True))["usergroups"]
        assert groups[0]["users"] == [bob]


async def test_blocks_past_block_kit_limits_are_refused(fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_base_url)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}
    refused = [
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "section", "text": {"type": "mrkdwn", "text": " "}}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        [section] * 51,
        [{"type": "actions", "elements": [{"type": "button", "action_id": "a", "text": {}}]}],
    ]
    for blocks in refused:
        with pytest.raises(SlackApiError, match="invalid_blocks"):
            await client.chat_postMessage(channel=GENERAL, text="x", blocks=blocks)
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        await client.views_publish(user_id=alice, view={"type": "home", "blocks": [section] * 101})
    await client.views_publish(user_id=alice, view={"type": "home", "blocks": [section] * 100})
    sent = await client.chat_postMessage(channel=GENERAL, text="x", blocks=[section] * 50)
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        await client.chat_update(channel=GENERAL, ts=sent["ts"], text="x", blocks=refused[0])
    assert fake.messages[(GENERAL, sent["ts"])]["blocks"] == [section] * 50
