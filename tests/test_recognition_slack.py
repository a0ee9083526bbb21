"""Kudos on Slack to people Hearth has not seen post: the real slack-bolt app against the
fake Slack (set-up shared with ``test_slack_adapter``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.fake_slack import FakeSlack
from tests.test_slack_support import clear_proxies, slack_rig


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


async def test_kudos_to_a_member_who_never_posted_and_refused_to_non_members(
    tmp_path: Path,
) -> None:
    async with FakeSlack() as fake:
        bob = fake.add_user(name="bob")["id"]
        alice = fake.add_user(name="alice")["id"]
        gone = fake.add_user(name="gone", deleted=True)["id"]
        guest = fake.add_user(name="guest", team_id="T0OTHERWS")["id"]
        async with slack_rig(tmp_path, fake, cogs=["recognition"]) as rig:
            given = await rig.command(bob, f"/kudos <@{alice}|alice> thanks for the docs")
            assert given is not None and given.args["response_type"] == "in_channel"
            assert "gave kudos to" in given.args["text"]
            for outsider, name in ((gone, "gone"), (guest, "guest")):
                refused = await rig.command(bob, f"/kudos <@{outsider}|{name}> hi")
                assert refused is not None and refused.args["response_type"] == "ephemeral"
                assert "don't know" in refused.args["text"]

            again = await rig.command(bob, f"/kudos <@{gone}|gone> hello again")
            assert again is not None and "don't know" in again.args["text"]
            asked = [call.args["user"] for call in fake.calls_to("users.info")]
            assert asked.count(gone) == 1  # cached, like admin rights

            rows = await rig.bot.db.fetch_all("SELECT receiver FROM recognition_kudos")
            assert [row[0] for row in rows] == [alice]
