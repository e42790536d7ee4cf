"""The audit log: append-only, hash-chained, readable by the owning country's focal point."""
