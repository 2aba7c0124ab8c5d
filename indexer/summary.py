"""The account of one indexing run (reindex, add, delete, a feed round): every record read ends
indexed or skipped with its reason, so read = indexed + skipped, always."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

EXAMPLES_PER_REASON = 10


@dataclass
class Summary:
    read: int = 0
    indexed: int = 0
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    warnings: Counter = field(default_factory=Counter)
    warning_examples: dict[str, list[str]] = field(default_factory=dict)
    # Files of source directories that were not read: (path, reason).
    unread: list[tuple[str, str]] = field(default_factory=list)
    deleted: int = 0
    # Live writes committed while a reindex built, applied to its generation before the swap.
    replayed: int = 0
    seconds: float = 0.0
    backend: str = ""
    index: str = ""
    # Where the index now lives (cluster status and nodes for a cluster store),
    # and the bulk accounting of a cluster writer.
    health: dict = field(default_factory=dict)
    bulk: dict = field(default_factory=dict)
    # Copies found: groups of more than one document, and the documents in them.
    groups: dict = field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    def skip(self, reason: str, location: str) -> None:
        self.skipped[reason] += 1
        _example(self.examples, reason, location)

    def warn(self, warning: str, location: str) -> None:
        self.warnings[warning] += 1
        _example(self.warning_examples, warning, location)

    def to_dict(self) -> dict:
        return {
            "read": self.read,
            "indexed": self.indexed,
            "skipped": self.skipped_total,
            "skipped_by_reason": _by_reason(self.skipped, self.examples),
            "warnings": _by_reason(self.warnings, self.warning_examples),
            "unread": [{"path": path, "reason": reason} for path, reason in self.unread],
            **({"deleted": self.deleted} if self.deleted else {}),
            **({"replayed": self.replayed} if self.replayed else {}),
            "seconds": round(self.seconds, 2),
            "docs_per_second": round(self.docs_per_second, 1),
            "backend": self.backend,
            "index": self.index,
            **({"health": self.health} if self.health else {}),
            **({"bulk": self.bulk} if self.bulk else {}),
            **({"copies": self.groups} if self.groups else {}),
        }


def _example(examples: dict[str, list[str]], reason: str, location: str) -> None:
    found = examples.setdefault(reason, [])
    if len(found) < EXAMPLES_PER_REASON:
        found.append(location)


def _by_reason(counts: Counter, examples: dict[str, list[str]]) -> dict:
    return {r: {"count": n, "examples": examples.get(r, [])} for r, n in counts.items()}
