"""Focal stacks synthesised from RGB-D with the layered-blur method (Bruns; DESIGN.md research item 3).

For a focus distance f the depth range is cut into K layers (K up to 256). The whole image is blurred with a
Gaussian whose sigma grows linearly with the distance of the layer's centre from the focal plane,
sigma_k = min(blur_per_metre * |d_k - f|, max_sigma), kept only where the pixel's depth lies in layer k, and
the K masked images are summed. Because the layer masks partition the image, every pixel comes from exactly
one blur: pixels on the focal plane stay sharp, others get their layer's blur. Sigmas are quantised to
``sigma_step`` px so layers with (almost) the same blur share one convolution.
Pixels with no depth (0) are put in the farthest layer (treated as background)."""
import math
from dataclasses import dataclass

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


def gaussian_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur of [C, H, W] with radius ceil(3 sigma) and replicated borders."""
    if sigma < 1e-3:
        return image
    radius = max(1, math.ceil(3 * sigma))
    x = torch.arange(-radius, radius + 1, dtype=image.dtype, device=image.device)
    kernel = torch.exp(-x ** 2 / (2 * sigma ** 2))
    kernel = kernel / kernel.sum()
    c = image.shape[0]
    out = F.pad(image[None], (radius, radius, radius, radius), mode="replicate")
    out = F.conv2d(out, kernel.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    out = F.conv2d(out, kernel.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)
    return out[0]


def synthesize_focal_image(rgb: torch.Tensor, depth: torch.Tensor, focus: float, model: BlurModel,
                           near: float, far: float) -> torch.Tensor:
    """rgb [3, H, W], depth [H, W] metres -> the image focused at ``focus`` metres, [3, H, W]."""
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


def synthesize_stack(rgb: torch.Tensor, depth: torch.Tensor, focus_distances, model: BlurModel,
                     near: float, far: float) -> torch.Tensor:
    """One image per focus distance, in the given order: [T, 3, H, W]."""
    return torch.stack([synthesize_focal_image(rgb, depth, float(f), model, near, far) for f in focus_distances])
