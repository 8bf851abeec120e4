"""A loaded catalog: the data of :class:`orbat.model.Catalog` with the questions asked of it.

The data class lives with the model, so that the presence rules, figures and queries build on it
without importing back up; this subclass, which :func:`orbat.load` returns, adds the questions.
"""

from __future__ import annotations

import datetime as dt

import attrs

from orbat import model
from orbat.dates import PartialDate
from orbat.queries import Change, RegionLike, Snapshot, changes, snapshot

__all__ = ["Catalog"]


@attrs.frozen(slots=True)
class Catalog(model.Catalog):
    """A whole loaded catalog: its data, and the deployment on any date and between dates."""

    def as_of(
        self, day: dt.date | PartialDate | str, region: RegionLike = None, *, stale_after: int | None = None
    ) -> Snapshot:
        """The deployment on ``day``; see :func:`orbat.queries.snapshot` (None: the default region)."""
        return snapshot(self, day, region, stale_after=stale_after)

    def changes(
        self,
        start: dt.date | PartialDate | str,
        end: dt.date | PartialDate | str,
        region: RegionLike = None,
        *,
        stale_after: int | None = None,
    ) -> tuple[Change, ...]:
        """What changed between two dates; see :func:`orbat.queries.changes`."""
        return changes(self, start, end, region, stale_after=stale_after)
