"""The neural side: ensembles that learn permutations, learned path-finding heuristics.

Needs torch (``pip install 'cayley[torch]'``); the names below load it on first access,
so ``import cayley.nn`` alone stays cheap. Nothing else in cayley imports this package.

- :class:`PermutationEnsemble` (:mod:`cayley.nn.ntk`): two-layer ReLU networks trained
  on k basis vectors whose ensemble mean recovers a permutation on all ``2^k - 1``
  nonzero binary inputs; with the closed-form infinite-width (NTK) mean and variance.
- :class:`NeuralHeuristic` (:mod:`cayley.nn.heuristics`): distance regressors on one-hot
  states, optionally symmetric under the conjugations that preserve the generators and
  under inversion; they implement :class:`cayley.graphs.heuristics.Heuristic`, so
  :func:`cayley.graphs.paths.beam_search` uses them as they are.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "PermutationEnsemble": "ntk",
    "binary_inputs": "ntk",
    "arccos_kernel": "ntk",
    "random_permutation": "ntk",
    "NeuralHeuristic": "heuristics",
    "train_heuristic": "training",
    "load_heuristic": "heuristics",
    "generator_symmetries": "heuristics",
}

__all__: list[str] = []  # the torch names stay out of __all__: import them by name


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'cayley.nn' has no attribute {name!r}")
    try:
        module = importlib.import_module(f".{mod}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name == "torch":
            from ..errors import CayleyError

            raise CayleyError("cayley.nn needs torch: pip install 'cayley[torch]'") from None
        raise
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
