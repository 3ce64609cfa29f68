"""Every code block of the README and of docs/*.md works as written, run the way a reader would type it.

The module builds what the examples read once: `archiver demo` (what `make demo` runs) in a scratch folder, and
one crawl of the session's replica into `data/archive.db` by the README's own whole-blog line. The scratch
folder looks like a checkout: `.venv/bin/archiver`, `sqlite-utils` and `scrapy` run this Python, `scrapy.cfg` and
`spiders/` are the project's. Then, per block:

- `sh` lines run from that folder as written, but for the blog: `https://monblog.hautetfort.com` is the
  replica's address, and a crawl gets the tests' settings for 127.0.0.1 (no delays) after its own. Crawls
  (`archiver crawl`, `scrapy crawl`) and the demo run in subprocesses; to stay fast, the other `archiver`
  commands and `sqlite-utils` run in this process, through their click command with the argv bash makes of the
  line (quotes, `$(...)`), the rest of a pipe, `&&` or `>` in bash. A command that writes the archive (`crawl`,
  `reextract`, `scrapy crawl`, `check --repair`) runs in its own copy of the folder. `make` lines are checked
  to name a Makefile target (`make demo` ran as `archiver demo`; `make test` is this suite); `pip install -e
  '.[X]'` to name an extra of pyproject.toml (the tests never install anything); a `jq` pipe needs /usr/bin/jq
  (it is there wherever `make test` runs; without it the line fails, saying so).
- A `datasette` line runs `datasette ARCHIVE --get URL` when Datasette is importable. When it is not (it is an
  optional extra), the line's archive must exist and the documented URL is checked without Datasette: its first
  segment is the archive's file name without `.db`, and its search runs as SQL on the archive with sqlite3
  (`posts_fts MATCH`), finding posts.
- `cron` lines: five valid schedule fields (in range), then the command, each run in its own folder copy (cron
  runs them hours apart), printing nothing on stdout, with the log file it names written and its run finished.
- Output blocks (a fence with no language) carry an HTML comment just above them: `<!-- output of: COMMAND -->`
  (the command runs and must print each line of the block in order, loosely: numbers, durations, ports and
  the path before `data/` are free; a line ending in " …" is a prefix), `<!-- datasette URL of ARCHIVE -->`,
  or `<!-- illustrative: WHY -->` (not checked). An output block with no such comment fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlite_utils
from click.testing import CliRunner

from archiver.replica import ReplicaServer
from conftest import LOCAL, PROJECT

BLOG = "https://monblog.hautetfort.com"
PAGES = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
FENCE = re.compile(r"(?:<!-- (?P<note>[^\n]*?) -->\n)?^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.S | re.M)
TRAILING_COMMENT = re.compile(r"\s{2,}#.*$")
WRITERS = re.compile(r"archiver (crawl|reextract|check .*--repair)|scrapy crawl")
CRAWLS = re.compile(r"archiver crawl|scrapy crawl")
SCHEDULE_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


@dataclass(frozen=True)
class Block:
    page: str
    lang: str
    note: str
    body: str
    line: int

    def commands(self) -> list[str]:
        return [TRAILING_COMMENT.sub("", line) for line in self.body.splitlines() if line.strip() and not line.startswith("#")]


def _blocks() -> list[Block]:
    found = []
    for path in PAGES:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            found.append(Block(str(path.relative_to(PROJECT)), match["lang"], match["note"] or "", match["body"],
                               text[:match.start()].count("\n") + 1))
    return found


BLOCKS = _blocks()
SHELL_LINES = [(block, line) for block in BLOCKS if block.lang == "sh" for line in block.commands()]
OUTPUTS = [block for block in BLOCKS if block.lang in ("", "text")]


def _id(block: Block, line: str = "") -> str:
    return f"{block.page}:{block.line}:{line[:70]}"


def _runnable(line: str) -> bool:
    return not re.match(r"(make |\.venv/bin/pip |\.venv/bin/datasette )", line)


def _for_the_replica(line: str, base_url: str) -> str:
    """The blog's address becomes the replica's; a crawl gets the tests' settings for 127.0.0.1 after its own."""
    line = line.replace(BLOG, base_url)
    local = " ".join(LOCAL)
    line = re.sub(r"(archiver crawl [^>|&]*?|scrapy crawl [^>|&]*?)(\s*(>|\||&&|$))", rf"\1 {local}\2", line, count=1)
    return line


def _folder(root: Path, name: str, data: Path) -> Path:
    """A folder shaped like a checkout: .venv/bin wrappers for this Python, the Scrapy project, a copy of data/."""
    folder = root / name
    (folder / ".venv" / "bin").mkdir(parents=True)
    for tool, module in (("archiver", "archiver"), ("sqlite-utils", "sqlite_utils"), ("scrapy", "scrapy"), ("datasette", "datasette")):
        wrapper = folder / ".venv" / "bin" / tool
        wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} -m {module} \"$@\"\n")
        wrapper.chmod(0o755)
    for shared in ("scrapy.cfg", "spiders"):
        (folder / shared).symlink_to(PROJECT / shared)
    shutil.copytree(data, folder / "data", ignore=shutil.ignore_patterns("*.lock", "*-reader"))  # media: export warc reads them
    profile = next(block.body for block in BLOCKS if block.lang == "toml")
    (folder / "mytheme.toml").write_text(profile, encoding="utf-8")
    return folder


def _bash(line: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "ARCHIVER_DB"}
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=120)


def _split_first(line: str) -> tuple[str, str, str]:
    """The line's first command, the operator after it (`|`, `&&`, `>` or ''), and the rest: quotes respected."""
    quote, depth = "", 0
    for at, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and not depth:
            quote = char
        elif line.startswith("$(", at):
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth and (char in "|>" or line.startswith("&&", at)):
            operator = "&&" if char == "&" else char
            return line[:at].strip(), operator, line[at + len(operator):].strip()
    return line.strip(), "", ""


IN_PROCESS = {".venv/bin/archiver": "archiver.cli:cli", ".venv/bin/sqlite-utils": "sqlite_utils.cli:cli"}


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    """One shell line from `cwd`; an `archiver` reading command or a `sqlite-utils` one runs in this process
    (its click command with the argv bash makes of the line), the rest of a pipe or `&&` in bash."""
    first, operator, rest = _split_first(line)
    argv = _bash(f"printf '%s\\0' {first}", cwd).stdout.split("\0")[:-1]
    if argv[0] not in IN_PROCESS or argv[1] in ("crawl", "demo"):
        return _bash(line, cwd)
    module, _, name = IN_PROCESS[argv[0]].partition(":")
    command = getattr(__import__(module, fromlist=[name]), name)
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(command, argv[1:], env={"ARCHIVER_DB": None})
    finally:
        os.chdir(before)
    done = subprocess.CompletedProcess(line, result.exit_code, result.stdout, result.stderr)
    if result.exception and not isinstance(result.exception, SystemExit):
        done.stderr += repr(result.exception)
    if operator == "|":
        then = _bash(rest, cwd, stdin=done.stdout)
        return subprocess.CompletedProcess(line, then.returncode or done.returncode, then.stdout, done.stderr + then.stderr)
    if operator == ">":
        (cwd / rest).write_text(done.stdout, encoding="utf-8")
        return subprocess.CompletedProcess(line, done.returncode, "", done.stderr)
    if operator == "&&" and done.returncode == 0:
        then = _bash(rest, cwd)
        return subprocess.CompletedProcess(line, then.returncode, done.stdout + then.stdout, done.stderr + then.stderr)
    return done


@dataclass
class Examples:
    folder: Path
    base_url: str
    demo: subprocess.CompletedProcess
    results: dict[str, subprocess.CompletedProcess]
    folders: dict[str, Path]


@pytest.fixture(scope="module")
def examples(site, tmp_path_factory) -> Examples:
    """`archiver demo` in the background; one crawl of the replica by the README's line; then the other crawl
    lines and the cron lines in subprocesses, while the other commands run in this process, one by one (each
    changes into its folder: only this thread ever does)."""
    root = tmp_path_factory.mktemp("readme")
    seed = root / "seed"
    (seed / "data").mkdir(parents=True)
    start, demo_folder = _folder(root, "start", seed / "data"), _folder(root, "demo", seed / "data")
    with ReplicaServer(site) as server, ThreadPoolExecutor(max_workers=3) as pool:
        demo = pool.submit(_bash, ".venv/bin/archiver demo", demo_folder)
        first = next(line for _, line in SHELL_LINES if line.startswith(f".venv/bin/archiver crawl {BLOG}/ --db data/archive.db"))
        results = {first: _bash(_for_the_replica(first, server.base_url), start)}
        assert results[first].returncode == 0, results[first].stdout + results[first].stderr
        shutil.copytree(start / "data", seed / "data", dirs_exist_ok=True)
        jobs, folders = {}, {}
        writers = [line for _, line in SHELL_LINES if _runnable(line) and WRITERS.search(line) and line not in results]
        for line in writers:
            folders[line] = _folder(root, f"w{len(folders)}", seed / "data")
            if CRAWLS.search(line):  # a subprocess, in the background
                jobs[line] = pool.submit(_bash, _for_the_replica(line, server.base_url), folders[line])
        for number, line in enumerate(_cron_lines()):  # each in its own copy, as cron runs them hours apart
            folders[line] = _folder(root, f"cron{number}", seed / "data")
            jobs[line] = pool.submit(_bash, _cron_command(line, folders[line], server.base_url), folders[line])
        folder = _folder(root, "reader", seed / "data")  # the docs' saved page: the seed post's page, as saved by a browser
        shutil.copy(site / "archive/2022/02/04/offensive-diplomatique-russe-en-afrique-la-russie-denonce-l-6362153.html",
                    folder / "saved-page.html")
        reading = [line for _, line in SHELL_LINES if _runnable(line) and line not in jobs and line not in results]
        reading += [block.note for block in OUTPUTS if block.note.startswith("output of: ") and block.note != "output of: make demo"]
        for line in [line for line in reading if "data/demo.db" not in line]:
            results[line] = _run(_for_the_replica(line.removeprefix("output of: "), server.base_url), folder)
        for line in [line for line in writers if line not in jobs]:  # reextract, check --repair: in this process
            results[line] = _run(line, folders[line])
        demo = demo.result()
        assert demo.returncode == 0, demo.stderr
        shutil.copytree(demo_folder / "data", folder / "data", dirs_exist_ok=True)
        for line in [line for line in reading if "data/demo.db" in line]:
            results[line] = _run(line.removeprefix("output of: "), folder)
        results |= {key: job.result() for key, job in jobs.items()}
    return Examples(folder, server.base_url, demo, results, folders)


def _cron_lines() -> list[str]:
    block = next(block for block in BLOCKS if block.lang == "cron")
    return [line for line in block.commands() if not re.match(r"[A-Z_]+=", line)]


def _cron_command(line: str, folder: Path, base_url: str) -> str:
    fields = line.split(None, 5)
    assert len(fields) == 6 and all(SCHEDULE_FIELD.match(field) for field in fields[:5]), f"not a crontab line: {line}"
    for field, (low, high) in zip(fields[:5], [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]):
        assert all(low <= int(number) <= high for number in re.findall(r"(?<!/)\b\d+", field)), f"{field} out of range in {line}"
    command = fields[5]
    assert command.startswith("cd /path/to/blog-archiver && "), command
    return _for_the_replica(command.replace("cd /path/to/blog-archiver", f"cd {folder}"), base_url)


def test_the_examples_are_found():
    assert len(SHELL_LINES) >= 25 and len(_cron_lines()) == 2 and any(block.note == "output of: make demo" for block in OUTPUTS)


@pytest.mark.parametrize("block, line", SHELL_LINES, ids=[_id(block, line) for block, line in SHELL_LINES])
def test_every_shell_line_works_as_written(examples, block, line):
    if line.startswith("make "):
        target = line.split()[1]
        assert re.search(rf"^{target}:", (PROJECT / "Makefile").read_text(), re.M), f"no target {target} in the Makefile"
        return
    if line.startswith(".venv/bin/pip "):
        extra = re.search(r"\.\[(\w+)\]", line)[1]
        assert extra in tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
        return
    if line.startswith(".venv/bin/datasette "):
        _check_datasette_line(examples, line)
        return
    result = examples.results[line]
    assert result.returncode == 0, f"{line}\nexit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    if line.startswith(".venv/bin/scrapy crawl"):  # Scrapy's own command: its log on stderr, the posts in the archive
        assert "Spider closed (finished)" in result.stderr, result.stderr[-2000:]
        assert sqlite_utils.Database(examples.folders[line] / "data" / "archive.db")["posts"].count > 0
    elif written := re.search(r"export (?:warc|wacz) (\S+)", line):  # the file, and its summary on stderr
        assert (examples.folder / written[1]).stat().st_size > 0 and result.stderr.startswith("Exported "), result.stderr
    elif not re.search(r"(>|--out) \S+\s*$|&& jq|export html", line):
        assert result.stdout.strip(), f"{line} printed nothing"
    if "jq" in line:
        assert shutil.which("jq"), "these lines need jq (/usr/bin/jq)"


@pytest.mark.parametrize("line", _cron_lines())
def test_the_cron_lines_are_crontab_lines_whose_commands_run_and_log(examples, line):
    result = examples.results[line]
    assert result.returncode == 0 and result.stdout == "", result.stderr[-2000:]  # > /dev/null: cron mails stderr only
    data = examples.folders[line] / "data"
    assert (data / "crawl.log").stat().st_size > 0
    runs = list(sqlite_utils.Database(data / "archive.db")["crawl_runs"].rows_where(order_by="id"))
    assert len(runs) == 2 and runs[-1]["status"] == "finished"


def _shape(line: str) -> str:
    """A line as the docs may show it: ports, hosts, paths before data/ and every number left free."""
    line = re.sub(r"https?://(127\.0\.0\.1:\d+|monblog\.hautetfort\.com)", "http://BLOG", line)
    line = re.sub(r"file://\S*?/data/", "file://…/data/", line)
    return re.sub(r"\d+(?:[.,]\d+)*", "N", line).rstrip()


def _follows(shown: list[str], printed: list[str]) -> list[str]:
    """The shown lines not found, in order, among the printed ones (a shown line ending in ' …' is a prefix)."""
    lines, missing = iter([_shape(line) for line in printed]), []
    for line in shown:
        want = _shape(line.removesuffix(" …"))
        prefix = line.endswith(" …")
        if not any(got.startswith(want) if prefix else got == want for got in lines):
            missing.append(line)
            lines = iter([_shape(line) for line in printed])
    return missing


@pytest.mark.parametrize("block", OUTPUTS, ids=[_id(block) for block in OUTPUTS])
def test_every_output_block_is_what_its_command_prints_or_says_it_is_illustrative(examples, block):
    assert re.match(r"(output of: |datasette URL of |illustrative: )", block.note), \
        f"{block.page}:{block.line}: an output block needs <!-- output of: COMMAND -->, <!-- datasette URL of ARCHIVE --> or <!-- illustrative: WHY -->"
    if block.note.startswith("illustrative: "):
        return
    if block.note.startswith("datasette URL of "):
        _check_datasette_url(examples.folder / block.note.removeprefix("datasette URL of "), block.body.strip())
        return
    result = examples.demo if block.note == "output of: make demo" else examples.results[block.note]
    assert result.returncode == 0, result.stderr
    missing = _follows(block.body.splitlines(), result.stdout.splitlines())
    assert not missing, f"{block.page}:{block.line}: not printed by `{block.note}`:\n" + "\n".join(missing) + f"\n--- it printed:\n{result.stdout}"


def _check_datasette_line(examples, line: str) -> None:
    archive = examples.folder / line.split()[1]
    assert archive.is_file(), line
    url = next(block.body.strip() for block in OUTPUTS if block.note.startswith("datasette URL of "))
    try:
        import datasette  # noqa: F401
    except ImportError:  # the optional extra is not installed: the URL is checked with sqlite3 (the docstring)
        _check_datasette_url(archive, url)
        return
    result = _bash(f".venv/bin/datasette {archive} --get '{urlsplit(url).path}?{urlsplit(url).query}'", examples.folder)
    assert result.returncode == 0 and '"title"' in result.stdout, result.stdout + result.stderr


def _check_datasette_url(archive: Path, url: str) -> None:
    """Datasette's URL: /<file name without .db>/<table>.json?_search=WORDS finds posts, here with sqlite3."""
    parts = urlsplit(url)
    database, table = parts.path.strip("/").split("/")
    assert database == archive.stem and table == "posts.json", f"{url} does not fit {archive.name}"
    words = parse_qs(parts.query)["_search"][0]
    db = sqlite_utils.Database(archive)
    rows = list(db.query("select title from posts where rowid in (select rowid from posts_fts where posts_fts match ?)", [words]))
    db.close()
    assert rows, f"{url}: no post matches {words!r}"


def test_the_datasette_urls_follow_the_archives_file_name():
    text = (PROJECT / "docs" / "archive.md").read_text(encoding="utf-8")
    pairs = re.findall(r"`data/(\w+)\.db`(?: answers)? at\s+`/(\w+)/", text)
    assert len(pairs) >= 2 and all(name == segment for name, segment in pairs), pairs


def test_sqlite_utils_search_of_a_word_with_an_apostrophe_is_shown_with_quote():
    searches = [line for _, line in SHELL_LINES if line.startswith(".venv/bin/sqlite-utils search ")]
    assert any("'" in line.split("posts", 1)[1] for line in searches)
    assert all("--quote" in line for line in searches if re.search(r"posts \"[^\"]*['-]", line))
