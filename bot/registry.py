"""Finding the cogs that exist: one module or package per feature under ``cogs/``."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import cogs
from bot.cog import Cog
from bot.config import Config
from bot.errors import ConfigError
from bot.typed_values import build


def available_cogs() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_"))


def import_cog(name: str) -> ModuleType:
    return importlib.import_module(f"cogs.{name}")


def cog_class(module: ModuleType) -> type[Cog] | None:
    """The Cog subclass a cog module defines (the one ``setup`` returns)."""
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Cog) and value is not Cog:
            if getattr(value, "name", None) == module.__name__.rsplit(".", 1)[-1]:
                return value
    return None


def check_cog_sections(config: Config) -> None:
    """Validate each ``[cog]`` section of config.toml against that cog's settings dataclass."""
    problems: list[str] = []
    for name, section in config.cog_sections.items():
        cls = cog_class(import_cog(name))
        settings = None if cls is None else cls.settings_class
        if settings is None:
            problems.append(f"{name}: this cog has no settings")
        else:
            build(settings, section, name, problems)
    if problems:
        raise ConfigError(problems)
