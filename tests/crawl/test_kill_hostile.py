"""Ten SIGKILLs at random moments of crawls of the hostile-content replica, across its three steps, then cron's runs.

The blog is archiver/replica/hostile_content.py's: malformed links on every page, absurd numbers, control
characters, a category page failing on its first requests; then an outage (three post pages that are not the
post, met by killed `--revalidate` crawls), then recovery with a backdated and a moved post. Crawls are killed
as test_kill.py aims its kills (at a share of the post pages committed, some inside a write transaction). After
the kills, the README's cron sequence (an incremental run, then the weekly `--revalidate`) leaves the archive
the ground truth: no post lost, none twice, `archiver check` OK. What each kill met is printed (pytest -s).
"""

from __future__ import annotations

import random
import re
import time

import pytest

from archiver.crawl.outcomes import EXIT_LOCKED
from archiver.replica import load_ground_truth
from archiver.replica.fault_server import FaultServer
from archiver.replica.hostile_content import build_hostile_content_site, hostile_content_plan
from conftest import LOCAL, export_records, run_archiver
from archive_shapes import duplicates, shape
from test_kill import Aim, kill_a_crawl, kill_table

SEED = 20261117
# Per step of the blog: the mode of the crawls killed, and how many.
KILLS = ((0, (), 4), (1, ("--revalidate",), 3), (2, (), 3))
INCOMPLETE = re.compile(r"^INCOMPLETE ", re.M)

pytestmark = pytest.mark.timeout(240)


def aims(rng: random.Random, count: int) -> list[Aim]:
    """`count` kills: one while the crawl walks its first pages, the others among the posts, half inside a write."""
    return [Aim(0.0, rng.uniform(0.0, 0.6))] + [
        Aim(rng.uniform(0.05, 0.7), rng.uniform(0.0, 0.2), in_write=n % 2 == 0) for n in range(count - 1)]


def test_ten_sigkills_across_the_hostile_blogs_steps_then_cron_leave_the_ground_truth_once(tmp_path):
    began, db, rng = time.monotonic(), tmp_path / "archive.db", random.Random(SEED)
    root = build_hostile_content_site(tmp_path / "site").root
    kills = []
    with FaultServer(root, hostile_content_plan(root, attempts=2)) as server:  # one port: stored URLs stay valid
        for step, mode, count in KILLS:
            build_hostile_content_site(root, step=step)
            posts = len(load_ground_truth(root))
            kills += [kill_a_crawl(server.base_url, db, aim, posts, tmp_path / f"crawl-{len(kills) + n}", *mode)
                      for n, aim in enumerate(aims(rng, count), 1)]
        incremental = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL)
        weekly = run_archiver("crawl", server.base_url + "/", "--db", str(db), *LOCAL, "--revalidate")
        truth = load_ground_truth(root, server.base_url)
    records, check = export_records(db), run_archiver("check", "--db", str(db))
    print(f"\n{kill_table(kills, len(truth))}\nincremental: exit {incremental.returncode}; weekly --revalidate: exit "
          f"{weekly.returncode}; whole test {time.monotonic() - began:.1f} s")

    assert sum(kill.running for kill in kills) >= len(kills) - 2, [kill.returncode for kill in kills]
    assert EXIT_LOCKED not in [kill.returncode for kill in kills], f"a restart was locked out: {tmp_path}/crawl-*.err"
    assert {kill.quick_check for kill in kills} == {"ok"}
    assert incremental.returncode in (0, 4), incremental.stdout + incremental.stderr
    assert (incremental.returncode == 4) == bool(INCOMPLETE.search(incremental.stdout)), incremental.stdout
    assert weekly.returncode == 0, weekly.stdout + weekly.stderr
    assert sorted(record["id"] for record in records) == sorted(post["id"] for post in truth)
    assert {r["id"]: shape(r) for r in records} == {t["id"]: shape(t) for t in truth}
    assert duplicates(db) == []
    assert check.returncode == 0 and check.stdout.splitlines()[-1].startswith("OK"), check.stdout + check.stderr
