"""Per-stage row accounting: rows in = rows out + rows dropped (by reason) + rows quarantined.

Every stage builds a StageStats, counts as it goes, and writes it next to its output. `write`
refuses to save books that do not balance, so nothing is lost silently.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from budgetai.core.io import atomic_write, write_json


MAX_DROPPED_UNITS = 10_000  # bounds stats.json: a large source's drops are counted, not all named


class UnbalancedStatsError(RuntimeError):
    pass


@dataclass
class StageStats:
    stage: str
    rows_in: int = 0
    rows_out: int = 0
    dropped: Counter = field(default_factory=Counter)
    quarantined: Counter = field(default_factory=Counter)
    extra: dict = field(default_factory=dict)

    def drop(self, reason: str, n: int = 1, unit: str | None = None) -> None:
        """Count n rows dropped for `reason`; `unit` (a record id) is kept, up to
        MAX_DROPPED_UNITS, in extra["dropped_units"] so `budgetai lineage` can say why."""
        self.dropped[reason] += n
        if unit is not None:
            units = self.extra.setdefault("dropped_units", [])
            if len(units) < MAX_DROPPED_UNITS:
                units.append({"id": unit, "reason": reason})

    def quarantine(self, reason: str, n: int = 1) -> None:
        self.quarantined[reason] += n

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    @property
    def rows_quarantined(self) -> int:
        return sum(self.quarantined.values())

    def balanced(self) -> bool:
        return self.rows_in == self.rows_out + self.rows_dropped + self.rows_quarantined

    def to_dict(self) -> dict:
        return {
            "stage": self.stage,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_dropped": self.rows_dropped,
            "dropped_by_reason": dict(sorted(self.dropped.items())),
            "rows_quarantined": self.rows_quarantined,
            "quarantined_by_reason": dict(sorted(self.quarantined.items())),
            **({"extra": self.extra} if self.extra else {}),
        }

    def write(self, path: str | os.PathLike) -> None:
        if not self.balanced():
            raise UnbalancedStatsError(
                f"stage {self.stage}: rows_in={self.rows_in} != out {self.rows_out} + dropped "
                f"{self.rows_dropped} + quarantined {self.rows_quarantined}"
            )
        write_json(self.to_dict(), path)


def read_stats(path: str | os.PathLike) -> dict:
    return json.loads(Path(path).read_text())




def quarantine_unit(stats: StageStats, quarantine: list[dict], source: str, location: str, reason: str,
                    message: str | None = None, raw: str = "", n: int = 1) -> None:
    """Set bad input aside: `n` rows counted under `reason` in stats, and one quarantine row that
    says where it came from (`location`: file and line, URL, ...) and what was wrong (`message`,
    else the reason), with the raw input (`raw`, cut to 100,000 characters when written)."""
    stats.quarantine(reason, n)
    quarantine.append({"source": source, "location": location, "reason": message or reason, "raw": raw})


QUARANTINE_SCHEMA = pa.schema(
    [("source", pa.string()), ("location", pa.string()), ("reason", pa.string()), ("raw", pa.string())]
)


def write_quarantine(rows: list[dict], path: str | os.PathLike) -> None:
    """Bad input rows with where they came from and why they were set aside.
    Always written (possibly empty) so the rule's output exists."""
    table = pa.Table.from_pylist(
        [{k: str(r.get(k, ""))[:100_000] for k in QUARANTINE_SCHEMA.names} for r in rows],
        schema=QUARANTINE_SCHEMA,
    )
    with atomic_write(path) as tmp:
        pq.write_table(table, tmp)
