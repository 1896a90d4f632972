"""A learned full-resolution refinement head on the frozen fast net (issue 15, session 9).

The shipped ``fast_interp_x4`` computes everything at 1/4 resolution and brings it back with 16 sub-pixel channels,
so its output D is smooth where the truth has edges and does not bend towards the samples around it (section 10
of TRAINING.md). The head sees, at full resolution, what the base could not: where each sample lies and how far
D is from it. It adds a correction

    out = D + max(D, eps) * r,    r = conv3x3(relu(conv3x3(features)))

whose last convolution starts at zero, so the untrained head IS the base net. Every feature is relative to D
(dimensionless), so the head is scale-equivariant like the base (one head for indoor and road frames):

- ``mask``: 1 on a measured pixel;
- ``residual``: mask * (z - D) / D, the base's relative error at each sample;
- ``spread``: the mean of ``residual`` over the samples in a ``window`` x ``window`` box (a normalised box
  convolution: one AveragePool over [residual, mask], then a ratio) and ``support``, the box's sample share;
- ``range``: (max - min of D over 3x3) / D, where D has an edge.

The measured samples replace the output afterwards (keep_samples), as for the base; in ONNX that is left to the
runner. Only the head is trained (``train_refine``); the base's weights are the shipped file's.
"""
import copy
import dataclasses
from dataclasses import dataclass
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .fast_interp import FastInterpNet

EPS_DEPTH = 1e-3    # metres: a non-positive base output (a frame without samples) divides by this instead


@dataclass(frozen=True)
class RefineHeadConfig:
    channels: int = 8           # hidden channels
    windows: Tuple[int, ...] = (3, 7)   # sides of the boxes the residuals are spread over (odd)
    kernel: int = 1             # of both convolutions: 1 = a per-pixel MLP over the features (no im2col)
    local_range: bool = True    # the (max - min) / D feature
    gated: bool = False         # no convolutions: r = sum over windows of amplitude * sigmoid(gate) * spread

    @property
    def features(self) -> int:
        return 2 + 2 * len(self.windows) + int(self.local_range)


def box(x: torch.Tensor, window: int, reduce=F.avg_pool2d) -> torch.Tensor:
    """``reduce`` (average or max) over a window x window box, same size out; above 7 x 7 as a row then a column
    pass (the same values as the square box for both; ONNX Runtime's pools cost their kernel's area per pixel, but
    a pass costs about as much as a 7 x 7 box). The average counts the zero padding, so at the border it is a
    sum / window^2 like inside."""
    pad = window // 2
    if window <= 7:
        return reduce(x, window, 1, pad, **({"count_include_pad": True} if reduce is F.avg_pool2d else {}))
    rows = reduce(x, (1, window), 1, (0, pad), **({"count_include_pad": True} if reduce is F.avg_pool2d else {}))
    return reduce(rows, (window, 1), 1, (pad, 0), **({"count_include_pad": True} if reduce is F.avg_pool2d else {}))


def relative_features(sparse: torch.Tensor, mask: torch.Tensor, base: torch.Tensor,
                      config: RefineHeadConfig) -> torch.Tensor:
    """[N, config.features, H, W] head input (the module docstring's list) from the input depth and mask and the
    base's output D, all [N, 1, H, W] metres."""
    inverse = 1.0 / torch.clamp(base, min=EPS_DEPTH)
    residual = mask * (sparse - base) * inverse
    features = [mask, residual]
    for window in config.windows:
        boxed = box(torch.cat([residual, mask], 1), window)
        support = boxed[:, 1:2]
        features += [boxed[:, 0:1] / torch.clamp(support, min=1.0 / (window * window)), support]
    if config.local_range:
        features.append((box(base, 3, F.max_pool2d) + box(-base, 3, F.max_pool2d)) * inverse)
    return torch.cat(features, 1)


class RefineHead(nn.Module):
    """Full-resolution correction of a base prediction: ``forward(sparse, mask, base)`` -> refined depth, metres
    (before keep_samples)."""

    def __init__(self, config: RefineHeadConfig = RefineHeadConfig()):
        super().__init__()
        if any(w % 2 == 0 for w in config.windows):
            raise ValueError(f"windows must be odd, got {config.windows}")
        self.config = config
        if config.gated:
            # per window: gate = a * support * window^2 + b * range + c; amplitude 0 at step 0
            self.gate = nn.Parameter(torch.zeros(len(config.windows), 3))
            self.amplitude = nn.Parameter(torch.zeros(len(config.windows)))
            return
        k = config.kernel
        self.hidden = nn.Conv2d(config.features, config.channels, k, 1, k // 2)
        self.out = nn.Conv2d(config.channels, 1, k, 1, k // 2)
        nn.init.zeros_(self.out.weight)     # step 0: the head adds nothing, the refined net is the base
        nn.init.zeros_(self.out.bias)

    def forward(self, sparse: torch.Tensor, mask: torch.Tensor, base: torch.Tensor) -> torch.Tensor:
        features = relative_features(sparse, mask, base, self.config)
        if self.config.gated:
            correction = self.gated_correction(features)
        else:
            correction = self.out(F.relu(self.hidden(features)))
        return base + torch.clamp(base, min=EPS_DEPTH) * correction

    def gated_correction(self, features: torch.Tensor) -> torch.Tensor:
        """Single-channel arithmetic only (ONNX Runtime pays a full-resolution tensor per channel and op): each
        window's spread residual, trusted by a sigmoid of its sample count and the local range of D."""
        local_range = features[:, -1:] if self.config.local_range else 0.0
        correction = 0.0
        for i, window in enumerate(self.config.windows):
            spread, support = features[:, 2 + 2 * i:3 + 2 * i], features[:, 3 + 2 * i:4 + 2 * i]
            a, b, c = self.gate[i]
            trust = torch.sigmoid(a * (support * float(window * window)) + b * local_range + c)
            correction = correction + self.amplitude[i] * trust * spread
        return correction


class RefinedFastNet(nn.Module):
    """The fast net with a refinement head: same input [N, 2, H, W] (sparse metres, mask) and output [N, 1, H, W]
    metres as ``FastInterpNet``, same input multiple. keep_samples (measured samples replace the output) is applied
    once, after the head; the base's own is switched off, the head needs the base's prediction at the samples."""

    def __init__(self, base: FastInterpNet, head: RefineHead):
        super().__init__()
        self.base = copy.deepcopy(base)
        self.keep_samples = base.config.keep_samples
        self.base.config = dataclasses.replace(base.config, keep_samples=False)
        self.head = head
        self.multiple = base.multiple
        self.export_layout = False  # True while exporting: keep_samples left to the runner, as for the base

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.base.export_layout = self.export_layout
        sparse, mask = x[:, 0:1], x[:, 1:2]
        out = self.head(sparse, mask, self.base(x))
        if self.keep_samples and not self.export_layout:
            out = torch.where(mask > 0.5, sparse, out)
        return out


def load_head(path: str) -> RefineHead:
    """A trained head from a ``train_refine`` checkpoint (its configuration and weights)."""
    state = torch.load(path, map_location="cpu")
    config = dict(state["config"], windows=tuple(state["config"]["windows"]))
    head = RefineHead(RefineHeadConfig(**config))
    head.load_state_dict(state["head"])
    return head
