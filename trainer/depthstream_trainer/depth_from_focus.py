"""Classical depth from focus (the baseline of the focal-stack net): a focus measure per image, the sharpest
image per pixel, and interpolation of the focus curve between the stack's focus distances.

Focus measure: sum-modified-Laplacian (SML) of the luma, Nayar & Nakagawa, "Shape from Focus", IEEE PAMI 16(8),
1994, eqs. (8)-(9); operator LAP2 in Pertuz, Puig & Garcia, "Analysis of focus measure operators for
shape-from-focus", Pattern Recognition 46(5), 2013:

    ML(x, y)  = |2 I(x, y) - I(x - s, y) - I(x + s, y)| + |2 I(x, y) - I(x, y - s) - I(x, y + s)|    (step s = 1)
    SML(x, y) = sum of ML over the (2N + 1) x (2N + 1) window around (x, y)         (window = 2N + 1 pixels)

(Nayar & Nakagawa also drop ML values below a threshold T1; T1 = 0 here: the synthetic stacks have no noise.)
Borders are replicated. I = Rec. 601 luma 0.299 R + 0.587 G + 0.114 B.

Depth: per pixel i* = argmax_i SML_i; then the focus curve is interpolated through the three points
(f_{i*-1}, y_{i*-1}), (f_{i*}, y_{i*}), (f_{i*+1}, y_{i*+1}) and its peak taken (Pertuz et al. 2013, section 2.2).
Gaussian interpolation (Nayar & Nakagawa 1994, section 5) fits a Gaussian to the focus values, i.e. a parabola to
y = ln SML; "parabolic" fits the parabola to y = SML itself. For any (non-uniform) spacing the vertex of the
parabola through three points is

    f* = f2 - 1/2 * [(f2 - f1)^2 (y2 - y3) - (f2 - f3)^2 (y2 - y1)] / [(f2 - f1)(y2 - y3) - (f2 - f3)(y2 - y1)]

which for uniform spacing d reduces to the familiar f2 + d/2 * (y1 - y3) / (y1 - 2 y2 + y3). Since y2 is the
largest of the three, the vertex lies in [f1, f3]; it is clamped there against round-off. At the first and last
image of the stack (no neighbour on one side), and where the curve is flat, the depth is f_{i*} itself.

Limits: T = 1 carries no depth information; the method then returns the single focus distance everywhere.
T = 2 gives one of the two focus distances (no three points to interpolate). Depth outside [f_1, f_T] cannot be
returned. Textureless pixels (SML = 0 in every image) get the first image's focus distance."""
from typing import Sequence

import torch
import torch.nn.functional as F

LUMA = (0.299, 0.587, 0.114)
INTERPOLATIONS = ("gaussian", "parabolic", "none")


def luma(rgb: torch.Tensor) -> torch.Tensor:
    """[..., 3, H, W] -> [..., 1, H, W] Rec. 601 luma."""
    w = torch.tensor(LUMA, dtype=rgb.dtype, device=rgb.device).view(3, 1, 1)
    return (rgb * w).sum(-3, keepdim=True)


def modified_laplacian(image: torch.Tensor) -> torch.Tensor:
    """ML of [B, 1, H, W] with step 1 and replicated borders (Nayar & Nakagawa 1994, eq. 8)."""
    p = F.pad(image, (1, 1, 1, 1), mode="replicate")
    centre = p[..., 1:-1, 1:-1]
    horizontal = (2 * centre - p[..., 1:-1, :-2] - p[..., 1:-1, 2:]).abs()
    vertical = (2 * centre - p[..., :-2, 1:-1] - p[..., 2:, 1:-1]).abs()
    return horizontal + vertical


def sum_modified_laplacian(rgb: torch.Tensor, window: int = 9) -> torch.Tensor:
    """SML of the luma of [B, 3, H, W] over a window x window box (odd), replicated borders: [B, 1, H, W]."""
    if window < 1 or window % 2 == 0:
        raise ValueError(f"window must be a positive odd number of pixels, got {window}")
    ml = modified_laplacian(luma(rgb))
    r = window // 2
    # box sum = window^2 * mean; avg_pool2d on the padded map is the separable box filter
    return F.avg_pool2d(F.pad(ml, (r, r, r, r), mode="replicate"), window, stride=1) * window * window


def peak_of_three(f1, f2, f3, y1, y2, y3):
    """Vertex abscissa of the parabola through (f1, y1), (f2, y2), (f3, y3), element-wise; f2 where the three
    points are collinear (denominator 0); clamped to [f1, f3]."""
    a, b = f2 - f1, f2 - f3
    num = a * a * (y2 - y3) - b * b * (y2 - y1)
    den = a * (y2 - y3) - b * (y2 - y1)
    safe = den.abs() > 1e-12
    peak = torch.where(safe, f2 - 0.5 * num / torch.where(safe, den, torch.ones_like(den)), f2)
    return torch.minimum(torch.maximum(peak, torch.minimum(f1, f3)), torch.maximum(f1, f3))


def depth_from_focus(stack: torch.Tensor, focus: torch.Tensor, window: int = 9,
                     interpolation: str = "gaussian") -> torch.Tensor:
    """stack [N, T, 3, H, W] RGB, focus [N, T] metres (any order) -> depth [N, 1, H, W] metres (see module doc)."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {INTERPOLATIONS}, got {interpolation!r}")
    if stack.dim() != 5 or stack.shape[2] != 3:
        raise ValueError(f"stack must be [N, T, 3, H, W], got {list(stack.shape)}")
    n, t, _, h, w = stack.shape
    if focus.shape != (n, t):
        raise ValueError(f"focus must be [N, T] = [{n}, {t}], got {list(focus.shape)}")
    if not torch.isfinite(focus).all() or (focus <= 0).any():
        raise ValueError("focus distances must be finite and positive (metres)")
    focus = focus.to(stack.dtype)
    plane = focus[:, :, None, None].expand(n, t, h, w)
    if t == 1:
        return plane[:, :1].clone()
    order = torch.argsort(focus, dim=1)                      # interpolate along increasing focus distance
    stack = torch.gather(stack, 1, order[:, :, None, None, None].expand_as(stack))
    plane = torch.gather(plane, 1, order[:, :, None, None].expand_as(plane))
    measure = sum_modified_laplacian(stack.reshape(n * t, 3, h, w), window).view(n, t, h, w)
    best = measure.argmax(1, keepdim=True)                   # [N, 1, H, W]; ties -> first
    depth = plane.gather(1, best)
    if interpolation == "none" or t < 3:
        return depth
    y = torch.log(measure + 1e-12) if interpolation == "gaussian" else measure
    inner = best.clamp(1, t - 2)
    f1, f2, f3 = (plane.gather(1, inner + d) for d in (-1, 0, 1))
    y1, y2, y3 = (y.gather(1, inner + d) for d in (-1, 0, 1))
    refined = peak_of_three(f1, f2, f3, y1, y2, y3)
    interior = (best > 0) & (best < t - 1)
    return torch.where(interior, refined, depth)


def constant_depth(depth: torch.Tensor, value: float) -> torch.Tensor:
    """The trivial baseline: ``value`` metres everywhere, shaped like ``depth`` [N, 1, H, W]."""
    return torch.full_like(depth, float(value))


def training_median_depth(arrays: Sequence, stride: int = 7) -> float:
    """Median of the valid (> 0) depths of the training frames, every ``stride``-th pixel (numpy arrays)."""
    import numpy as np
    values = np.concatenate([a.reshape(-1)[::stride] for a in arrays])
    values = values[values > 0]
    if values.size == 0:
        raise ValueError("no valid training depth to take the median of")
    return float(np.median(values))
