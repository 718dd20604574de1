"""Write a build folder from its ledger, in a process of its own: the server's reload has
served the changes already, and the write (every file, and the search index, from all the
rows) would otherwise hold the server's interpreter while the next accepted statement waits.
The search index is brought up to date in place before this (``server/search_updates.py``); a
write that ends after a later update keeps that newer index (``search.updating``).

    python -m habitat_kg.graph.write_behind BUILD_FOLDER

runs at a lower priority than the server, prints the ledger's build it wrote (its state) and
exits 0; a folder that cannot be written (not a build's, a full disk ...) is one line on stderr
and exit 1, and the folder is left as it was (``dataset_files.write_rows`` replaces it whole or
not at all).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from habitat_kg.errors import SourceError
from habitat_kg.graph.build import ledger_rows, record_written
from habitat_kg.graph.dataset_files import write_rows


def write_from_ledger(out_dir: Path) -> int:
    """Write ``out_dir`` from its ledger's last build (one consistent reading of it); return
    that build's state."""
    state, rows = ledger_rows(out_dir)
    write_rows(rows, out_dir, state=state, written=lambda d: record_written(out_dir, state, d))
    return state


def main(arguments: list[str]) -> int:
    if len(arguments) != 1:
        print("usage: python -m habitat_kg.graph.write_behind BUILD_FOLDER", file=sys.stderr)
        return 2
    if hasattr(os, "nice"):  # background work: the next accepted statement goes first
        os.nice(10)
    try:
        state = write_from_ledger(Path(arguments[0]))
    except (SourceError, OSError, sqlite3.Error) as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return 1
    print(state)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
