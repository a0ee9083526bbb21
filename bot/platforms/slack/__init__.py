"""The Slack front door (slack-bolt), one package:

adapter.py    SlackAdapter: the AsyncApp, its listeners, Socket Mode / HTTP serving
inbound.py    Slack payloads → core events
actions.py    SlackPlatform: the core's actions as Web API calls; roles
render.py     Message → Block Kit, within Slack's limits
mrkdwn.py     escaping, mentions and emoji between neutral text and mrkdwn
directory.py  cached users, channels, user groups; resolvers for plain @name/#name
home.py       the App Home tab (cogs' optional ``home_section``)
manifest.py   the app manifest for ``hearth slack manifest``
"""

from bot.platforms.slack.actions import SlackPlatform
from bot.platforms.slack.adapter import SlackAdapter

__all__ = ["SlackAdapter", "SlackPlatform"]
