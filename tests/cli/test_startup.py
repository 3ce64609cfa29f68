"""The commands that only read the archive start without the crawl's libraries (Scrapy, Twisted, itemadapter)."""

from __future__ import annotations

import subprocess
import sys

from archiver import store
from conftest import PROJECT

READ_COMMANDS = (["stats"], ["search", "wagner"], ["export", "jsonl"], ["show", "6362153"], ["runs"], ["categories"],
                 ["tags"], ["check"])
LOADED = """
import sys
from archiver.cli import cli
for args in {commands}:
    try:
        cli([*args, "--db", sys.argv[1]], standalone_mode=False)
    except Exception:  # an unknown post: what matters here is what was imported
        pass
print("loaded:", *sorted(name for name in ("scrapy", "twisted", "itemadapter") if name in sys.modules))
"""


def test_the_commands_that_read_the_archive_never_import_the_crawls_libraries(tmp_path):
    db = tmp_path / "archive.db"
    store.open_archive(db).close()
    result = subprocess.run([sys.executable, "-c", LOADED.format(commands=READ_COMMANDS), str(db)], cwd=PROJECT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded:"


SWITCHED_OFF = """
import sys
from scrapy.utils.conf import build_component_list
from archiver.crawl.run_settings import crawl_settings
settings = crawl_settings(sys.argv[1])
components = [name for setting in ("DOWNLOADER_MIDDLEWARES", "EXTENSIONS")  # as Scrapy's middleware managers read them
              for name in build_component_list(settings.get_component_priority_dict_with_base(setting))]
print("cookies:", any("Cookies" in str(name) for name in components))
print("loaded:", *sorted(name for name in ("aiohttp", "tldextract", "requests") if name in sys.modules))
"""


def test_a_crawl_never_imports_what_its_switched_off_components_need(tmp_path):
    result = subprocess.run([sys.executable, "-c", SWITCHED_OFF, str(tmp_path / "a.db")], cwd=PROJECT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["cookies: False", "loaded:"]
