"""One test over every cog: it loads, its names are valid and unique, its tables exist,
it can forget and export a person, and every string it shows is in the catalog."""

import ast
import re
from pathlib import Path

from bot.catalog import Catalog
from bot.cog import Cog
from bot.registry import available_cogs
from tests.harness import make_harness

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")  # Discord's rule for command and option names


async def test_every_cog_loads_with_valid_unique_commands_and_its_tables(tmp_path):
    async with make_harness(tmp_path, cogs=available_cogs()) as h:
        assert set(h.bot.cogs) == {"hearth", *available_cogs()}
        paths = [spec.path for spec in h.bot.interactions.commands]
        assert len(paths) == len(set(paths))
        for spec in h.bot.interactions.commands:
            assert all(NAME.match(word) for word in spec.path), spec.path
            assert 1 <= len(spec.description) <= 100, spec.qualified_name
            for option in spec.options:
                assert NAME.match(option.name), (spec.qualified_name, option.name)
                assert len(option.description) <= 100
        tables = {
            row[0]
            for row in await h.bot.db.fetch_all(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        for cog in h.bot.cogs.values():
            missing = set(cog.tables) - tables
            assert not missing, f"{cog.name} declares tables that no migration creates: {missing}"
            assert type(cog).delete_user_data is not Cog.delete_user_data, cog.name
            assert type(cog).export_user_data is not Cog.export_user_data, cog.name


async def test_every_cog_forgets_and_exports_a_person_without_error(tmp_path):
    async with make_harness(tmp_path, cogs=available_cogs()) as h:
        await h.join("alice")
        await h.say("alice", "general", "hello everyone, thanks @bob!")
        for cog in h.bot.cogs.values():
            exported = await cog.export_user_data(h.community, "alice")
            assert isinstance(exported, dict), cog.name
            await cog.delete_user_data(h.community, "alice")
        await h.bot.flush()
        assert await h.bot.members.get(h.community, "alice") is None


def _catalog_keys_used() -> set[tuple[str, str]]:
    used = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("cogs/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"t", "text"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and re.match(r"^[a-z_]+\.[a-z0-9_.]+$", node.args[0].value)
            ):
                used.add((str(path.relative_to(ROOT)), node.args[0].value))
    return used


def test_every_string_key_used_in_code_is_in_the_english_catalog():
    catalog = Catalog.load()
    missing = sorted(
        f"{where}: {key}" for where, key in _catalog_keys_used() if not catalog.has(key)
    )
    assert not missing, "\n".join(missing)


def test_no_cog_imports_a_platform_library():
    banned = {"discord", "slack_bolt", "slack_sdk"}
    for path in ROOT.glob("cogs/**/*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in banned, f"{path} imports {name}"
