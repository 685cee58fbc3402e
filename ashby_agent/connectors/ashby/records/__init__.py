"""Typed records for Ashby's objects, one module per concept; import them from ``models``."""
