"""The message catalog: every string a person reads comes from here, so it can be translated.

Strings live in ``bot/locales/<locale>/<area>.toml``; a key is ``<area>.<name>``
(``welcome.greeting``). Placeholders use ``str.format`` syntax. A locale that lacks
a key falls back to English; a key missing from English is a bug and raises.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "en"


class Catalog:
    def __init__(self, strings: Mapping[str, Mapping[str, str]]) -> None:
        self._strings = strings

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        strings: dict[str, dict[str, str]] = {}
        for locale_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
            table: dict[str, str] = {}
            for path in sorted(locale_dir.glob("*.toml")):
                with path.open("rb") as handle:
                    _flatten(path.stem, tomllib.load(handle), table)
            strings[locale_dir.name] = table
        return cls(strings)

    def has(self, key: str) -> bool:
        return key in self._strings[DEFAULT_LOCALE]

    def text(self, key: str, locale: str = DEFAULT_LOCALE, **params: object) -> str:
        template = self._strings.get(locale, {}).get(key)
        if template is None:
            template = self._strings[DEFAULT_LOCALE][key]
        return template.format(**params) if params else template

    def keys(self, locale: str = DEFAULT_LOCALE) -> set[str]:
        return set(self._strings.get(locale, {}))


def _flatten(prefix: str, table: Mapping[str, object], into: dict[str, str]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if isinstance(value, Mapping):
            _flatten(key, value, into)
        else:
            into[key] = str(value)
