"""Focal stacks synthesised from RGB-D with the layered-blur method (Bruns; DESIGN.md research item 3).

For a focus distance f the depth range is cut into K layers (K up to 256). The whole image is blurred with a
Gaussian whose sigma grows linearly with the distance of the layer's centre from the focal plane,
sigma_k = min(blur_per_metre * |d_k - f|, max_sigma), kept only where the pixel's depth lies in layer k, and
the K masked images are summed. Because the layer masks partition the image, every pixel comes from exactly
one blur: pixels on the focal plane stay sharp, others get their layer's blur. Sigmas are quantised to
``sigma_step`` px so layers with (almost) the same blur share one convolution.
Pixels with no depth (0) are put in the farthest layer (treated as background).

Speed: the sum of K masked images equals, per pixel, the blurred image of that pixel's layer, so a stack is
made as one bank of blurs (every quantised sigma any of its T images needs, all in one grouped convolution
pair) and one gather with the per-pixel sigma id; ``synthesize_focal_image_reference`` is the literal
mask-and-sum form the tests compare it with.

``add_stacks`` gives a batch of RGB-D crops their stacks, as ``train_focal`` trains and validates and
``evaluate_focal`` scores."""
import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F


@dataclass
class BlurModel:
    layers: int = 256
    blur_per_metre: float = 2.0    # Gaussian sigma in pixels per metre from the focal plane
    max_sigma: float = 8.0         # pixels
    sigma_step: float = 0.25       # pixels


def layer_index(depth: torch.Tensor, layers: int, near: float, far: float) -> torch.Tensor:
    """Layer of each pixel of depth [H, W] for K equal-width layers over [near, far]; holes -> last layer."""
    if not far > near:
        raise ValueError(f"depth range must be non-empty, got near={near}, far={far}")
    index = ((depth - near) / (far - near) * layers).floor().long().clamp(0, layers - 1)
    return torch.where(depth > 0, index, torch.full_like(index, layers - 1))


def layer_centres(layers: int, near: float, far: float) -> torch.Tensor:
    return near + (torch.arange(layers, dtype=torch.float32) + 0.5) * (far - near) / layers


def quantised_sigmas(centres: torch.Tensor, focus: float, model: BlurModel) -> torch.Tensor:
    """sigma_k of every layer for one focus distance, in float64, rounded (half to even, as Python's round) to
    multiples of ``sigma_step``."""
    sigma = (centres.double() - float(focus)).abs().mul(model.blur_per_metre).clamp(max=model.max_sigma)
    return torch.round(sigma / model.sigma_step) * model.sigma_step


def gaussian_kernel(sigma: float, radius: int, dtype=torch.float32, device=None) -> torch.Tensor:
    """Normalised 1-D Gaussian of 2 * radius + 1 taps; sigma < 1e-3 px is the identity (a unit impulse)."""
    x = torch.arange(-radius, radius + 1, dtype=dtype, device=device)
    if sigma < 1e-3:
        return (x == 0).to(dtype)
    kernel = torch.exp(-x ** 2 / (2 * sigma ** 2))
    return kernel / kernel.sum()


def blur_radius(sigma: float) -> int:
    return max(1, math.ceil(3 * sigma))


def gaussian_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of [C, H, W] with radius ceil(3 sigma) and replicated borders."""
    if sigma < 1e-3:
        return image
    radius = blur_radius(sigma)
    kernel = gaussian_kernel(sigma, radius, image.dtype, image.device)
    c = image.shape[0]
    out = F.pad(image[None], (radius, radius, radius, radius), mode="replicate")
    out = F.conv2d(out, kernel.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    out = F.conv2d(out, kernel.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)
    return out[0]


def blur_bank(image: torch.Tensor, sigmas) -> torch.Tensor:
    """[S, C, H, W]: ``gaussian_blur(image, s)`` for every s in ``sigmas`` in one grouped convolution pair.
    Each kernel keeps its own radius ceil(3 s) and is zero-padded to the largest one; with replicate padding by
    the largest radius the taps that reach further are zero, so each output equals the single blur (up to
    float summation order)."""
    sigmas = [float(s) for s in sigmas]
    c, h, w = image.shape
    s = len(sigmas)
    radius = max(blur_radius(x) for x in sigmas)
    kernels = torch.zeros(s, 2 * radius + 1, dtype=image.dtype, device=image.device)
    for i, sigma in enumerate(sigmas):
        r = 0 if sigma < 1e-3 else blur_radius(sigma)
        kernels[i, radius - r:radius + r + 1] = gaussian_kernel(sigma, r, image.dtype, image.device)
    padded = F.pad(image[None], (radius, radius, radius, radius), mode="replicate")
    # horizontal: each of the C input channels gives S outputs (channel c * S + i = sigma i)
    rows = F.conv2d(padded, kernels.repeat(c, 1).view(c * s, 1, 1, -1), groups=c)
    out = F.conv2d(rows, kernels.repeat(c, 1).view(c * s, 1, -1, 1), groups=c * s)
    return out.view(c, s, h, w).transpose(0, 1)


def synthesize_stack(rgb: torch.Tensor, depth: torch.Tensor, focus_distances, model: BlurModel,
                     near: float, far: float) -> torch.Tensor:
    """rgb [3, H, W], depth [H, W] metres -> one image per focus distance, in the given order: [T, 3, H, W]."""
    index = layer_index(depth, model.layers, near, far)
    centres = layer_centres(model.layers, near, far)
    used = torch.unique(index)
    sigma = torch.stack([quantised_sigmas(centres, float(f), model) for f in focus_distances])   # [T, K]
    levels = torch.unique(sigma[:, used])                                                   # sorted
    bank = blur_bank(rgb, levels.tolist())                                                  # [S, 3, H, W]
    level_of = torch.searchsorted(levels, sigma)                                            # [T, K]
    ids = level_of[:, index]                                                                # [T, H, W]
    t = ids.shape[0]
    return bank.gather(0, ids[:, None].expand(t, rgb.shape[0], *ids.shape[1:]))


def synthesize_focal_image(rgb: torch.Tensor, depth: torch.Tensor, focus: float, model: BlurModel,
                           near: float, far: float) -> torch.Tensor:
    """rgb [3, H, W], depth [H, W] metres -> the image focused at ``focus`` metres, [3, H, W]."""
    return synthesize_stack(rgb, depth, [focus], model, near, far)[0]


def synthesize_focal_image_reference(rgb: torch.Tensor, depth: torch.Tensor, focus: float, model: BlurModel,
                                     near: float, far: float) -> torch.Tensor:
    """The method as written: sum over layers k of blur(rgb, sigma_k) * mask_k (slow; tests only)."""
    index = layer_index(depth, model.layers, near, far)
    centres = layer_centres(model.layers, near, far)
    out = torch.zeros_like(rgb)
    blurred = {}
    for k in torch.unique(index).tolist():
        sigma = min(model.blur_per_metre * abs(float(centres[k]) - focus), model.max_sigma)
        sigma = round(sigma / model.sigma_step) * model.sigma_step
        if sigma not in blurred:
            blurred[sigma] = gaussian_blur(rgb, sigma)
        out += blurred[sigma] * (index == k).to(rgb.dtype)
    return out


def depth_range(depth: torch.Tensor, max_depth: float):
    """(near, far) of the valid depths of one map, never empty."""
    valid = depth[depth > 0]
    if valid.numel() == 0:
        return 0.1, max_depth
    near, far = float(valid.min()), float(valid.max())
    return near, max(far, near + 1e-3)


def add_stacks(batch: dict, stack: int, blur: BlurModel, max_depth: float, rng: Optional[np.random.Generator],
               range_jitter: float = 0.0):
    """Adds "stack" [N, T, 3, h, w] and "focus" [N, T] (metres) to a batch of rgb + depth crops; focus
    distances are random (rng) or evenly spaced (rng None).

    ``range_jitter`` (random stacks only): for half the samples the focus sweep (and the layers) run over a wider
    range than the crop's depths, near / (1 + j u1) to far * (1 + j u2) with u uniform in [0, 1], so the net also
    sees scenes that fill only part of the sweep, as when a few far pixels stretch a real frame's depth range."""
    stacks, focus = [], []
    for rgb, depth in zip(batch["rgb"], batch["depth"]):
        near, far = depth_range(depth[0], max_depth)
        if rng is not None and range_jitter > 0 and rng.uniform() < 0.5:
            u_near, u_far = rng.uniform(0.0, 1.0, 2)
            near, far = near / (1 + range_jitter * u_near), far * (1 + range_jitter * u_far)
        if rng is None:
            distances = np.linspace(near, far, stack + 2)[1:-1]
        else:
            distances = np.sort(rng.uniform(near, far, stack))
        stacks.append(synthesize_stack(rgb, depth[0], distances, blur, near, far))
        focus.append(torch.tensor(distances, dtype=torch.float32))
    batch["stack"], batch["focus"] = torch.stack(stacks), torch.stack(focus).to(batch["rgb"].device)
    return batch
