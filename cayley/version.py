"""The version of cayley, in a module of its own so that every part of the package can
import it without importing the package's public API (no import cycle).

>>> from cayley.version import __version__
>>> __version__.count(".") >= 1
True
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
