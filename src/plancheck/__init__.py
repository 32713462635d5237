"""plancheck: did we hit the plan's targets?

The Python API (README, "Python API")::

    import plancheck

    outcome = plancheck.check("targets", ["actuals"], as_of=2015)
    print(outcome.exit_code, outcome.render("markdown"))

``import plancheck`` imports nothing heavy: the API's names load the pipeline (pandas …) when
first used, so that ``plancheck --version`` stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .app import Observer as Observer
    from .app import Outcome as Outcome
    from .app import ReadSummary as ReadSummary
    from .app import Request as Request
    from .app import check as check
    from .app import run as run
    from .formats import FORMATS as FORMATS
    from .problems import InputError as InputError
    from .problems import Problem as Problem

# name → the module that holds it, imported on first use
_API = {
    "check": "app",
    "run": "app",
    "Request": "app",
    "Outcome": "app",
    "ReadSummary": "app",
    "Observer": "app",
    "FORMATS": "formats",
    "InputError": "problems",
    "Problem": "problems",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'plancheck' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
