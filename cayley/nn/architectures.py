"""The networks of the learned heuristics (:mod:`cayley.nn.heuristics`): an MLP with batch
norms, optionally followed by residual blocks, regressing the distance to the target."""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

__all__ = ["ResBlock", "build_model", "parameter_count"]


class ResBlock(nn.Module):
    """A residual block ``x -> relu(x + body(x))`` (two linear layers with batch norms)."""

    def __init__(self, width: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width), nn.BatchNorm1d(width)
        )

    def forward(self, x):
        return torch.relu(x + self.body(x))


def build_model(arch: str, in_features: int, hidden: Sequence[int], blocks: int) -> nn.Module:
    """The distance regressor: ``hidden`` linear+batch-norm+ReLU layers, then (``arch``
    ``"resmlp"``) ``blocks`` residual blocks, then one output.

    >>> build_model("resmlp", 8, [16], 2)(torch.zeros(3, 8)).shape
    torch.Size([3, 1])
    """
    layers: list[nn.Module] = []
    width = in_features
    for h in hidden:
        layers += [nn.Linear(width, h), nn.BatchNorm1d(h), nn.ReLU()]
        width = h
    if arch == "resmlp":
        layers += [ResBlock(width) for _ in range(blocks)]
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def parameter_count(in_features: int, hidden: Sequence[int], blocks: int, arch: str) -> int:
    """Numbers in the state dict of :func:`build_model` (weights, biases, batch norms).

    >>> parameter_count(8, [16], 2, "resmlp") == sum(t.numel() for t in build_model("resmlp", 8, [16], 2).state_dict().values())
    True
    """
    total, w = 0, in_features
    for h in hidden:
        total += w * h + h + 4 * h + 1
        w = h
    if arch == "resmlp":
        total += blocks * 2 * (w * w + w + 4 * w + 1)
    return total + w + 1
