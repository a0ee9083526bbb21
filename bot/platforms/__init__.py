"""Front doors: Discord, Slack and the terminal playground. Only here may platform libraries be imported."""
