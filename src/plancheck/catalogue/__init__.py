"""The target catalogue: schema, loader, and provenance checks."""

from __future__ import annotations

from pathlib import Path

from .loader import Catalogue, Plan, load_catalogue

__all__ = ["Catalogue", "Plan", "bundled_targets_dir", "default_targets_dir", "load_catalogue"]


def bundled_targets_dir() -> Path | None:
    """The catalogue shipped with plancheck: inside the wheel, or the checkout's targets/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "bundled" / "targets", here.parent.parent / "targets"):
        if (candidate / "plans").is_dir():
            return candidate
    return None


def default_targets_dir() -> Path:
    """./targets when it exists (the repository layout), else the bundled catalogue."""
    local = Path("targets")
    if local.is_dir():
        return local
    return bundled_targets_dir() or local
