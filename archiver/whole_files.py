"""Files written whole or not at all: through `NAME.partial` beside the target, renamed into place at the end.

The exports (JSON, Atom, WARC, Datasette's metadata) write this way, so a failed or interrupted export leaves the
previous file, or none, never half of one; an OSError becomes a UsageError naming the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from archiver.errors import UsageError


@contextmanager
def written_whole(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """The file to write (text in UTF-8, or bytes with mode "wb"), renamed to `path` when the block ends without
    an error; the partial file removed in any case."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open(mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fp:
            yield fp
        os.replace(partial, target)
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)


def write_text_whole(path: str | Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` whole or not at all."""
    with written_whole(path) as fp:
        fp.write(text)
