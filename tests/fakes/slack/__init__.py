"""A fake Slack for end-to-end tests of the real slack-bolt / slack_sdk; see server.py."""

from .model import Workspace
from .server import Call, FakeSlack, InboundReply, serve_app
from .webapi import ApiError

__all__ = ["ApiError", "Call", "FakeSlack", "InboundReply", "Workspace", "serve_app"]
