"""Hearth's features, one module or package each. Cogs never import a platform library."""
