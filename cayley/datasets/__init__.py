"""Kaggle-ready datasets: path-finding benchmarks with checked solutions, random-walk
training sets and growth-function tables, and a submission checker.

- :func:`export_paths`: the CayleyPy competition layout (``test.csv``,
  ``puzzle_info.json``, ``sample_submission.csv`` from beam search, ``solutions.csv`` with
  exact distances where computable).
- :func:`export_walks`: random-walk training sets (state, walk length, exact distance).
- :func:`export_growth`: growth functions with provenance (CSV, and Parquet when pyarrow
  is installed).
- :func:`verify_submission`: checks a submission row by row and scores it.
- :func:`load`: reads an exported folder back, with typed cells.

Every export folder also holds ``dataset-metadata.json`` in the Kaggle API's format
(checked by :func:`validate_metadata`) and a ``README.md`` dataset card with the exact
command that made it.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> e = export_paths("S_8", "pancake", count=5, scramble_length=6, seed=0, out=d)
>>> report = verify_submission(d, os.path.join(d, "sample_submission.csv"))
>>> report.ok, report.score == e.score
(True, True)
"""

from ._format import COLUMNS, Column, Dataset, load, validate_metadata
from .growth import GrowthExport, export_growth, parse_family_range, reference_graphs
from .paths import PathsExport, export_paths
from .puzzle import LAYOUTS, Layout, parse_rename
from .verify import Rejection, VerifyReport, verify_submission
from .walks import WalksExport, export_walks

__all__ = [
    "COLUMNS",
    "Column",
    "Dataset",
    "GrowthExport",
    "LAYOUTS",
    "Layout",
    "PathsExport",
    "Rejection",
    "VerifyReport",
    "WalksExport",
    "export_growth",
    "export_paths",
    "export_walks",
    "load",
    "parse_family_range",
    "parse_rename",
    "reference_graphs",
    "validate_metadata",
    "verify_submission",
]
