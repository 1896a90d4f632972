"""Loss functions. All take depth maps [N, 1, H, W]; ``valid`` is a 0/1 map of the same shape marking pixels
with a ground-truth measurement (target depth 0 = no measurement)."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def masked_mse(pred: torch.Tensor, target: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Mean squared error over valid pixels only."""
    return ((pred - target) ** 2 * valid).sum() / valid.sum().clamp(min=1.0)


def masked_l1(pred: torch.Tensor, target: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Mean absolute error over valid pixels only (the median-seeking, outlier-tolerant twin of masked_mse)."""
    return ((pred - target).abs() * valid).sum() / valid.sum().clamp(min=1.0)


def fill_holes(target: torch.Tensor, pred: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Target with its holes replaced by the (detached) prediction, so image-level losses (perceptual, SSIM,
    gradients) see no artificial edges where the ground truth has no measurement."""
    return torch.where(valid > 0, target, pred.detach())


def tv_loss(x: torch.Tensor) -> torch.Tensor:
    """Anisotropic total variation: mean |x[i+1, j] - x[i, j]| + mean |x[i, j+1] - x[i, j]|."""
    dy = (x[..., 1:, :] - x[..., :-1, :]).abs().mean()
    dx = (x[..., :, 1:] - x[..., :, :-1]).abs().mean()
    return dy + dx


def gradient_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L1 distance between forward-difference gradients: mean |d_y p - d_y t| + mean |d_x p - d_x t|."""
    dy = ((pred[..., 1:, :] - pred[..., :-1, :]) - (target[..., 1:, :] - target[..., :-1, :])).abs().mean()
    dx = ((pred[..., :, 1:] - pred[..., :, :-1]) - (target[..., :, 1:] - target[..., :, :-1])).abs().mean()
    return dy + dx


def _gaussian_1d(size: int, sigma: float, device, dtype) -> torch.Tensor:
    coords = torch.arange(size, device=device, dtype=dtype) - (size - 1) / 2.0
    g = torch.exp(-coords ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def _band(g: torch.Tensor, n: int) -> torch.Tensor:
    """[n - k + 1, n] matrix whose row i holds the k taps of ``g`` at columns i .. i + k - 1 (a 'valid' 1-D
    correlation as a matrix product)."""
    k = g.shape[0]
    rows = torch.arange(n - k + 1, device=g.device)
    band = torch.zeros(n - k + 1, n, device=g.device, dtype=g.dtype)
    for j in range(k):
        band[rows, rows + j] = g[j]
    return band


def _gaussian_window(size: int, sigma: float, device, dtype) -> torch.Tensor:
    g = _gaussian_1d(size, sigma, device, dtype)
    return (g[:, None] * g[None, :])[None, None]


def ssim(x: torch.Tensor, y: torch.Tensor, data_range: float = 1.0, window: int = 11,
         sigma: float = 1.5) -> torch.Tensor:
    """Mean SSIM (Wang et al. 2004) with an 11x11 Gaussian window, sigma 1.5, K1 = 0.01, K2 = 0.03, computed
    over the 'valid' window positions only (no padding). Single-channel inputs [N, 1, H, W]; images smaller
    than the window use the largest odd window that fits.

    The Gaussian window is separable, so the five local means are a vertical and a horizontal 1-D filter of the
    five maps stacked along the batch, written as products with banded matrices (valid positions only): on the
    CPU the backward pass of the 2-D 11 x 11 convolution was 85 % of a fast-net training step, the matrix
    products take a few milliseconds. Same value as the 2-D convolution up to rounding."""
    window = min(window, x.shape[-2], x.shape[-1])
    window -= 1 - window % 2
    g = _gaussian_1d(window, sigma, x.device, x.dtype)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    n = x.shape[0]
    maps = torch.cat([x, y, x * x, y * y, x * y], 0)
    blurred = _band(g, x.shape[-2]) @ maps @ _band(g, x.shape[-1]).t()
    mu_x, mu_y, xx, yy, xy = blurred.split(n, 0)
    var_x = xx - mu_x ** 2
    var_y = yy - mu_y ** 2
    cov = xy - mu_x * mu_y
    s = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / ((mu_x ** 2 + mu_y ** 2 + c1) * (var_x + var_y + c2))
    return s.mean()


_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


def vgg16_to_conv3_1() -> nn.Sequential:
    """torchvision's ``vgg16().features[:12]``: conv1_1 .. conv3_1 and its ReLU, with the same indices, so a
    torchvision state dict loads by key (``features.0.weight`` ... ``features.10.bias``)."""
    def conv(cin, cout):
        return [nn.Conv2d(cin, cout, 3, 1, 1), nn.ReLU(inplace=True)]
    return nn.Sequential(*conv(3, 64), *conv(64, 64), nn.MaxPool2d(2, 2),
                         *conv(64, 128), *conv(128, 128), nn.MaxPool2d(2, 2), *conv(128, 256))


class VGGPerceptualLoss(nn.Module):
    """MSE between VGG-16 conv3_1 activations (after ReLU) of prediction and target (research setting).

    Weights come only from a user-supplied torchvision-format VGG-16 state dict; nothing is downloaded.
    Depth / max_depth is replicated to three channels and ImageNet-normalised."""

    name = "vgg16_conv3_1"

    def __init__(self, weights_path: str, max_depth: float):
        super().__init__()
        self.features = vgg16_to_conv3_1()
        state = torch.load(weights_path, map_location="cpu")
        wanted = {k: v for k, v in state.items() if k.startswith("features.")
                  and int(k.split(".")[1]) < len(self.features)}
        missing = set(self.features.state_dict()) - {k[len("features."):] for k in wanted}
        if missing:
            raise ValueError(f"{weights_path}: not a torchvision vgg16 state dict, missing features.{sorted(missing)}")
        self.load_state_dict(wanted, strict=False)
        for p in self.parameters():
            p.requires_grad_(False)
        self.max_depth = max_depth
        self.register_buffer("mean", torch.tensor(_IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(_IMAGENET_STD).view(1, 3, 1, 1))

    def _embed(self, depth: torch.Tensor) -> torch.Tensor:
        x = (depth / self.max_depth).clamp(0, 1).expand(-1, 3, -1, -1)
        return self.features((x - self.mean) / self.std)

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(self._embed(pred), self._embed(target))


class EdgeSSIMLoss(nn.Module):
    """Substitute for the VGG loss when no weights are supplied: gradient loss + (1 - SSIM) / 2 on depth /
    max_depth. Like conv3_1 features it penalises blurred or displaced edges and wrong local structure,
    without needing pretrained weights."""

    name = "edge_ssim"

    def __init__(self, max_depth: float):
        super().__init__()
        self.max_depth = max_depth

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        p, t = pred / self.max_depth, target / self.max_depth
        return gradient_loss(p, t) + (1.0 - ssim(p, t)) / 2.0


def make_perceptual_loss(vgg_weights: Optional[str], max_depth: float) -> nn.Module:
    if vgg_weights:
        return VGGPerceptualLoss(vgg_weights, max_depth)
    return EdgeSSIMLoss(max_depth)
