"""Compute backends. Each module is a namespace of the same primitives used by the
drivers in :mod:`cayley.graphs`; importing this package imports no backend."""
