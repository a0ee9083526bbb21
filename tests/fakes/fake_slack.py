"""Entry point of the fake Slack: `from tests.fakes.fake_slack import FakeSlack, serve_app`.

The code lives in the package `tests/fakes/slack/`:
  model.py     the workspace state (team, bot, users, channels, user groups, messages)
  webapi.py    the Web API methods
  payloads.py  builders for events, slash commands and interactive payloads
  server.py    FakeSlack (the aiohttp server: Web API, response_url, Socket Mode, signed
               inbound HTTP, failure injection, waiting) and serve_app()
Example, HTTP mode:

    async with FakeSlack() as fake:
        alice = fake.add_user(name="alice", is_admin=True)["id"]
        app = AsyncApp(
            client=AsyncWebClient(token="xoxb-test", base_url=fake.api_base_url),
            signing_secret=fake.signing_secret,
        )
        ...listeners...
        async with serve_app(app.web_app()) as url:
            reply = await fake.post_event(url, fake.message_event("C0GENERAL", alice, "hi"))
            assert reply.status == 200
            [call] = await fake.wait_for_call("chat.postMessage")
"""

from .slack import ApiError, Call, FakeSlack, InboundReply, Workspace, serve_app

__all__ = ["ApiError", "Call", "FakeSlack", "InboundReply", "Workspace", "serve_app"]
