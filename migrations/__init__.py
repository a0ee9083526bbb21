"""Numbered SQL migrations, applied in order by bot.migrations. Never edit a landed one."""
