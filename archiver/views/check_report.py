"""`archiver check`: verify an archive and, with --repair, mend what can be mended; a report either way."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archiver import store
from archiver.errors import ArchiveLocked
from archiver.crawl.archive_lock import ArchiveLock, lock_holder
from archiver.store.connection import reading
from archiver.store.integrity import Verdict, check_archive, repair_archive
from archiver.terminal import plural, printable, printable_json


@dataclass
class CheckReport:
    """A check of one archive: what it found, what a repair did, and what a second look still finds."""

    db_path: str
    before: Verdict
    repairs: list[str] = field(default_factory=list)
    after: Verdict | None = None

    @property
    def sound(self) -> bool:
        return (self.after or self.before).sound


def run_check(db_path: str | Path, *, repair: bool = False) -> CheckReport:
    """Check the archive at db_path, opened read-only (never during a crawl: ArchiveLocked, nothing checked);
    with `repair`, under the crawl lock (no crawl meanwhile), bring its schema up to date, mend and check again."""
    with reading(db_path, older=True) as db:  # a missing or foreign file: NotAnArchive, nothing touched
        if not repair:
            holder = lock_holder(db_path)
            if holder:
                raise ArchiveLocked(f"could not check the archive {db_path}: a crawl or a reextract is writing it "
                                    f"({holder}); nothing was checked, try again when it ends")
            return CheckReport(str(db_path), check_archive(db))
    with ArchiveLock(db_path, "check --repair"):
        before = _verdict(db_path)
        migrated = [f"brought the schema up to date (version {store.SCHEMA_VERSION})"] if _older(before) else []
        db = store.open_archive(db_path)  # migrates an older archive
        try:
            repairs = migrated + (repair_archive(db) if not before.sound else [])
        finally:
            db.close()
        return CheckReport(str(db_path), before, repairs, _verdict(db_path) if repairs else None)


def _older(verdict: Verdict) -> bool:
    """Whether the archive checked was of an older schema."""
    return any(finding.check == "schema" for finding in verdict.findings)


def _verdict(db_path: str | Path) -> Verdict:
    """check_archive on a fresh read-only connection (an older schema is read as it is)."""
    with reading(db_path, older=True) as db:
        return check_archive(db)


def check_text(report: CheckReport) -> str:
    """The report for a reader: the figures, each problem (and whether --repair mends it), the repairs, the verdict."""
    counts = report.before.counts
    lines = [f"Archive {report.db_path}: {plural(counts['posts'], 'post')} ({counts['gone']} gone), "
             f"{plural(counts['comments'], 'comment')}, {plural(counts['categories'], 'category', 'categories')}, "
             f"{plural(counts['revisions'], 'earlier version')}, {plural(counts['pages'], 'page')}, "
             f"{plural(counts['crawl_runs'], 'run')}." if counts else f"Archive {report.db_path}: its tables cannot be counted."]
    lines += [f"PROBLEM {finding.check}: {finding.detail}" + (" [--repair mends it]" if finding.repairable else "")
              for finding in report.before.findings]
    lines += [f"REPAIRED {line}" for line in report.repairs]
    if report.after is not None:
        lines += [f"STILL {finding.check}: {finding.detail}" for finding in report.after.findings]
    lines.append(_verdict_line(report))
    return printable("\n".join(lines))


def _verdict_line(report: CheckReport) -> str:
    """The last line: sound, repaired, or what to do next."""
    if report.before.sound:
        return "OK: integrity, foreign keys, full-text index and its triggers, no duplicates, no stale runs."
    if report.sound:
        return "OK after repair."
    remaining = (report.after or report.before).findings
    if any(finding.repairable for finding in remaining) and report.after is None:
        return f"{len(remaining)} problem(s): run `archiver check --repair` to mend those marked so."
    return (f"{len(remaining)} problem(s) a repair cannot mend: keep a copy of the file, then try "
            "`sqlite3 ARCHIVE .recover` or a --full crawl into a new archive.")


def check_json(report: CheckReport) -> str:
    """The report as JSON: sound, counts, problems, repairs, problems after repair."""
    return printable_json(json.dumps({
        "archive": report.db_path, "sound": report.sound, "counts": report.before.counts,
        "problems": [asdict(finding) for finding in report.before.findings], "repairs": report.repairs,
        "problems_after_repair": [asdict(finding) for finding in report.after.findings] if report.after else None,
    }, ensure_ascii=False, indent=2))
