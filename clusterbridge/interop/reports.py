"""What every import reports: created, updated and unchanged records, whether it was a dry
run, and where an interrupted import resumed. (No Django here: the portal parser uses it.)"""

from dataclasses import dataclass


@dataclass(kw_only=True)
class ImportCounts:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    resumed_from: int = 0  # the item (record, row) after which an interrupted import went on

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def headline(self, what: str, unit: str) -> str:
        """ "Dry run, nothing written: 12 rows (an interrupted import resumed after row 4)" """
        prefix = "Dry run, nothing written: " if self.dry_run else ""
        resumed = (
            f" (an interrupted import resumed after {unit} {self.resumed_from})"
            if self.resumed_from
            else ""
        )
        return f"{prefix}{what}{resumed}"
