"""What the features' interface parts share: API dependencies and the verdict's JSON shape
(``api``), page rendering, login and CSRF (``web``), terminal plumbing (``cli``). It knows no
feature; the interfaces that assemble features are ``steadymind.http`` and ``steadymind.cli``."""
