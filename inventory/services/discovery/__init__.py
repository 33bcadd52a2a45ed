"""Discovery scans (发现扫描) in parts: plan, run, merge; the scan record in outcome.

The collectors never touch the database; this package is the edge where
their observations become assets. `plan` turns targets and profile names
into ordered collector passes, `run` sweeps them and hands batches to
`merge`, which upserts with the scan as the actor.
"""

from __future__ import annotations

from collectors.targets import Target
from inventory.services.discovery.merge import (
    combine_by_address,
    flag_stale,
    merge_results,
    observation_to_asset,
)
from inventory.services.discovery.outcome import (
    COUNTS,
    ScanOutcome,
    ScanProgress,
    finish_scan,
    start_scan,
)
from inventory.services.discovery.plan import (
    PASS_ORDER,
    Pass,
    ScanPlan,
    exclusions_for,
    plan_scan,
    plan_with_profiles,
)
from inventory.services.discovery.resting import ssh_resting
from inventory.services.discovery.run import run_scan

__all__ = [
    "COUNTS",
    "PASS_ORDER",
    "Pass",
    "ScanOutcome",
    "ScanPlan",
    "ScanProgress",
    "Target",
    "combine_by_address",
    "exclusions_for",
    "finish_scan",
    "flag_stale",
    "merge_results",
    "observation_to_asset",
    "plan_scan",
    "plan_with_profiles",
    "run_scan",
    "ssh_resting",
    "start_scan",
]
