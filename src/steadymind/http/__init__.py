"""The HTTP interface: the app factory that mounts every feature's API routes and pages."""
