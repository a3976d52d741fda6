"""A learner's kernel saving a large schedule over and over, to be killed mid-save.

Run as ``python writer_process.py FOLDER ACTIVITIES``: prints ``ready`` once the
documents are built, waits for a line on stdin, then saves the versions in turn,
printing ``saved <tag>`` after each save, until it is killed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

TAGS = ("v1", "v2", "v3")


def big_schedule(tag: str, activities: int) -> dict[str, Any]:
    """A chain of ``activities`` activities; every name starts with ``tag``."""
    return {
        "kind": "schedule",
        "schema_version": 1,
        "project_start": "2025-01-06",
        "activities": [
            {
                "id": f"A{i}",
                "name": f"{tag} activity {i}",
                "duration": 1 + i % 7,
                "predecessors": [{"activity": f"A{i - 1}"}] if i else [],
            }
            for i in range(activities)
        ],
    }


def main() -> None:
    from livepmo.storage import DeliverableStore

    folder, activities = Path(sys.argv[1]), int(sys.argv[2])
    versions = [(tag, big_schedule(tag, activities)) for tag in TAGS]
    store = DeliverableStore(folder)
    print("ready", flush=True)
    if not sys.stdin.readline():  # the test is gone: do not write forever
        return
    i = 0
    while True:
        tag, document = versions[i % len(versions)]
        store.save(document)
        print("saved", tag, flush=True)
        i += 1


if __name__ == "__main__":
    main()
