"""The house's layout: every module says in one line what it holds, a module name that two folders share says why,
and the README's map of the folders is the tree's."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache

from conftest import PROJECT

PACKAGES = ("archiver", "spiders")
README = "\n".join(path.read_text(encoding="utf-8") for path in [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))])


@cache
def modules() -> dict[str, str]:
    """Each module of the archiver and its spiders: dotted name -> its docstring ('' when it has none)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((PROJECT / package).rglob("*.py")):
            dotted = ".".join(path.relative_to(PROJECT).with_suffix("").parts)
            found[dotted] = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return found


def namesakes() -> dict[str, list[str]]:
    """Module names (`media`) held by more than one folder, and the modules that hold them."""
    by_name = defaultdict(list)
    for dotted in modules():
        name = dotted.rsplit(".", 1)[-1]
        if name not in ("__init__", "__main__"):
            by_name[name].append(dotted)
    return {name: holders for name, holders in by_name.items() if len(holders) > 1}


def architecture_section() -> str:
    """The README's "Architecture" page (docs/architecture.md), up to its next section."""
    return README.split("\n# Architecture\n", 1)[1].split("\n## ", 1)[0]


def test_every_module_opens_with_a_one_line_summary():
    missing = [dotted for dotted, docstring in modules().items() if not docstring.strip()]
    assert missing == []


def test_a_module_name_two_folders_share_names_its_namesakes_in_its_docstring():
    docstrings = {dotted: " ".join(docstring.split()) for dotted, docstring in modules().items()}
    unexplained = [(dotted, other) for holders in namesakes().values() for dotted in holders for other in holders
                   if other != dotted and other not in docstrings[dotted]]
    assert unexplained == []


def test_namesakes_are_found():
    # the check above has something to check: the extraction, pipeline and store layers of a post's images
    assert {"archiver.extract.media", "archiver.pipelines.media", "archiver.store.media"} <= set(namesakes()["media"])


def test_the_readme_maps_every_folder_and_every_top_level_module():
    section = architecture_section()
    entries = [path for package in PACKAGES for path in sorted((PROJECT / package).iterdir())
               if (path.is_dir() and (path / "__init__.py").exists())
               or (path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"))]
    unmapped = [path.relative_to(PROJECT).as_posix() for path in entries
                if not re.search(rf"(^|[\s,])({path.parent.name}/)?{re.escape(path.name)}{'/' if path.is_dir() else ''}[\s,]",
                                 section, re.M)]
    assert unmapped == []


def test_the_readme_names_no_module_that_is_gone():
    named = set(re.findall(r"\b((?:archiver|spiders)(?:/\w+)+\.py)\b", README))
    assert sorted(name for name in named if not (PROJECT / name).exists()) == []


# What a folder may never import (the README's "What may import what"), checked on every import statement.
FORBIDDEN_IMPORTS = {
    "archiver.extract": ("scrapy", "archiver.store", "archiver.crawl", "archiver.pipelines", "spiders"),
    "archiver.store": ("scrapy", "archiver.crawl", "archiver.pipelines", "archiver.middlewares", "spiders"),
    "archiver.views": ("scrapy", "archiver.pipelines", "archiver.middlewares", "spiders"),
    "archiver.middlewares": ("archiver.store",),
}


def imports_of(dotted: str) -> set[str]:
    """The modules a module imports, at its top or inside a function."""
    tree = ast.parse((PROJECT / (dotted.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    return {name for node in ast.walk(tree) for name in
            ([alias.name for alias in node.names] if isinstance(node, ast.Import)
             else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])}


def test_no_folder_imports_what_its_layer_may_not():
    crossings = [(dotted, name) for dotted in modules() for folder, forbidden in FORBIDDEN_IMPORTS.items()
                 if dotted.startswith(folder + ".") for name in imports_of(dotted)
                 if any(name == prefix or name.startswith(prefix + ".") for prefix in forbidden)]
    assert crossings == []
