"""A fake Discord server (REST + gateway on 127.0.0.1) for the real discord.py client.

Import it from ``tests.fakes.fake_discord``; see ``FakeDiscord`` for the tour.
"""
