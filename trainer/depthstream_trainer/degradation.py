"""Low-resolution SR inputs made from dense depth (``train_sr --degradation``, ``evaluate_shards``):

- 'pool': valid-aware average pooling (``blocks.valid_aware_pool``: each low-res pixel is the mean of the valid
  depths of its factor x factor block, what a low-resolution sensor integrates; an empty block is a hole); the
  Java baselines' input;
- 'bicubic': MATLAB ``imresize`` (``resample``; antialiased bicubic, the Middlebury standard protocol of
  tools/depth-tools/EVALUATION.md), made hole-aware like depth-sim's Resampler;
- 'mixed': each frame either."""
from typing import Optional

import torch

from .blocks import valid_aware_pool
from .resample import ResizeMatrices
from .sr_gan import MIN_COVERAGE

DEGRADATIONS = ("pool", "bicubic", "mixed")


def bicubic_down(depth: torch.Tensor, factor: int, matrices: Optional[ResizeMatrices] = None) -> torch.Tensor:
    """MATLAB ``imresize(depth, 1/factor)`` (antialiased Keys bicubic, symmetric edges; the Middlebury standard
    protocol of tools/depth-tools/EVALUATION.md), hole-aware like depth-sim's Resampler: normalised convolution over
    the valid pixels, a hole where less than half the kernel mass is valid or the result is <= 0. ``matrices``
    keeps the resampling matrices between calls (without it they are made for this call)."""
    h, w = depth.shape[-2:]
    ry, rx = (matrices if matrices is not None else ResizeMatrices())(h, w, factor, depth.device)
    valid = (depth > 0).to(depth.dtype)
    num = ry @ (depth * valid) @ rx.T
    den = ry @ valid @ rx.T
    low = num / den.clamp(min=MIN_COVERAGE)
    return torch.where((den >= MIN_COVERAGE) & (low > 0), low, torch.zeros_like(low))


def make_low_res(depth: torch.Tensor, factor: int, degradation: str = "pool",
                 choose_bicubic: Optional[torch.Tensor] = None,
                 matrices: Optional[ResizeMatrices] = None) -> torch.Tensor:
    """Low-res input: 'pool' = valid-aware average pooling (a low-res sensor; what the Java baselines use),
    'bicubic' = antialiased bicubic (the Middlebury protocol), 'mixed' = per frame, bicubic where
    ``choose_bicubic`` [N] is true (default: odd frames of the batch). ``matrices``: see ``bicubic_down``."""
    if degradation == "pool":
        low_res, _ = valid_aware_pool(depth, (depth > 0).to(depth.dtype), factor)
        return low_res
    if degradation == "bicubic":
        return bicubic_down(depth, factor, matrices)
    if degradation != "mixed":
        raise ValueError(f"unknown degradation {degradation!r}, expected one of {DEGRADATIONS}")
    if choose_bicubic is None:
        choose_bicubic = torch.arange(depth.shape[0], device=depth.device) % 2 == 1
    pick = choose_bicubic.view(-1, 1, 1, 1).to(depth.device)
    return torch.where(pick, bicubic_down(depth, factor, matrices), make_low_res(depth, factor, "pool"))
