"""Help now: crisis lines for every country (public, no login), the person's plan beside them,
and a way to see what the crisis-safety gate reads in a text."""

from __future__ import annotations

from steadymind.features.help.check import CHECK
from steadymind.runtime import Feature, Runtime


def setup(runtime: Runtime) -> None:
    runtime.seam.register_surface(CHECK)


FEATURE = Feature(
    name="help",
    setup=setup,
    requires=("safetyplan",),
    # Crisis lines must be reachable by anyone, logged in or not.
    public_routes=frozenset(
        {
            ("GET", "/help"),
            ("GET", "/api/v1/safety/resources"),
            ("GET", "/api/v1/safety/countries"),
        }
    ),
)
