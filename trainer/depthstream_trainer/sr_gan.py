"""Depth super-resolution GAN (Korinevskaya & Makarov 2018, after SRGAN, Ledig et al. 2017).

Generator: ELU + batch norm residual blocks at low resolution, sub-pixel upsampling, tanh on depth normalised to
[-1, 1] -- with two changes from the research, both so that a CPU-budget training run can only improve on bicubic:

* **Bicubic skip.** The output is the bicubic upsampling of the input plus a learned residual: depth_signed =
  bicubic_signed + tanh(r). The tanh bounds the *residual* in the normalised [-1, 1] space (instead of the
  whole output), and r's last convolution starts at zero, so an untrained generator returns exactly bicubic
  and training only has to learn the correction (as VDSR, Kim et al. 2016, does with its global residual).
  ``residual="relative"`` makes the correction a factor instead: depth = bicubic * (1 + tanh(r)), in (0, 2 x
  bicubic), so a small error in r is a small *relative* error everywhere; an additive residual in units of the
  frame maximum is coarse for the near pixels of a far frame (road scenes: 1e-3 of 80 m is 1.6 % at 5 m).
* **Per-frame normalisation.** Depth is divided by each frame's maximum input depth (not a fixed max_depth),
  so the same weights run on metres (synthetic training data) and on 8-bit disparity (Middlebury): the graph
  is scale-equivariant, net(k * x) = k * net(x).

The bicubic is MATLAB/depth-core's: Keys kernel a = -0.5, pixel centres aligned ((o + 0.5) / f - 0.5), replicate
edges (depth-core ``Resampler``'s default), hole-aware normalised convolution (Knutsson & Westin 1993) with the
Resampler's minimum coverage 0.5 -- an output pixel whose kernel mass on measurements is below one half is a hole
(0). For an integer factor it is a fixed polyphase filter: one 5x5 kernel per output phase, i.e. a Conv with
f^2 fixed outputs followed by DepthToSpace, which every ONNX opset and runtime has (ONNX Resize 'cubic' would
use a = -0.75 from PyTorch and clamp coordinates differently).

Discriminator: LeakyReLU + batch norm, strided convs, one logit per image, on depth / frame scale in [-1, 1]."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .blocks import ConvNormAct, PixelShuffleUpsample, ResidualBlock, make_activation
from .config import DiscriminatorConfig, SRGeneratorConfig

MIN_COVERAGE = 0.5    # depth-core Resampler.minCoverage() default


def keys_cubic(x: float, a: float = -0.5) -> float:
    """Keys (1981) cubic convolution kernel; a = -0.5 is MATLAB imresize's and depth-core's."""
    x = abs(x)
    if x <= 1:
        return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
    if x < 2:
        return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
    return 0.0


def bicubic_phase_kernels(factor: int) -> torch.Tensor:
    """[f*f, 1, 5, 5] polyphase weights: output pixel (f*i + py, f*j + px) = sum over the 5x5 input neighbourhood
    of (i, j) weighted by kernel py * f + px. Output o samples input position u = (o + 0.5) / f - 0.5, so phase p
    sits at offset d = (p + 0.5) / f - 0.5 in (-0.5, 0.5) from input pixel i, and tap i + j gets cubic(d - j)."""
    taps = []
    for p in range(factor):
        d = (p + 0.5) / factor - 0.5
        w = torch.tensor([keys_cubic(d - j) for j in range(-2, 3)], dtype=torch.float64)
        taps.append(w / w.sum())
    kernels = [taps[py][:, None] * taps[px][None, :] for py in range(factor) for px in range(factor)]
    return torch.stack(kernels)[:, None].float()


class BicubicUpsample(nn.Module):
    """Plain (not hole-aware) integer-factor bicubic upsampling, [N, 1, h, w] -> [N, 1, f*h, f*w]."""

    def __init__(self, factor: int):
        super().__init__()
        self.factor = factor
        self.register_buffer("kernels", bicubic_phase_kernels(factor), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.factor == 1:
            return x
        return F.pixel_shuffle(F.conv2d(F.pad(x, (2, 2, 2, 2), mode="replicate"), self.kernels), self.factor)


def hole_aware_bicubic(up: BicubicUpsample, x: torch.Tensor, valid: torch.Tensor):
    """(value, covered): normalised convolution sum(w m v) / sum(w m); covered where sum(w m) >= 0.5."""
    num, den = up(x * valid), up(valid)
    covered = den >= MIN_COVERAGE
    return num / den.clamp(min=MIN_COVERAGE), covered


def frame_scale(low_res: torch.Tensor) -> torch.Tensor:
    """[N, 1, 1, 1] per-frame normalisation scale: the maximum input depth (1e-6 for an empty frame)."""
    return torch.amax(low_res, dim=(2, 3), keepdim=True).clamp(min=1e-6)


def to_signed_unit(depth: torch.Tensor, scale) -> torch.Tensor:
    """[0, scale] -> [-1, 1]; a hole (0) maps to -1, the near end."""
    return depth * (2.0 / scale) - 1.0


def from_signed_unit(x: torch.Tensor, scale) -> torch.Tensor:
    return (x + 1.0) * (scale / 2.0)


class SRGenerator(nn.Module):
    """Input [N, 1, h, w] low-resolution depth (metres, or any unit: the graph is scale-equivariant; 0 = hole);
    output [N, 1, h*f, w*f] in the same unit, 0 where the bicubic skip has no coverage (holes stay holes).

    Works at the input resolution and upsamples at the end ("late"), which is what keeps it real-time on a
    CPU (ENVIRONMENT.md); "progressive" reproduces SRGAN's x2 stages for the speed comparison."""

    def __init__(self, config: SRGeneratorConfig = SRGeneratorConfig()):
        super().__init__()
        self.config = config
        c, act, bn = config.width, config.activation, config.batch_norm
        self.bicubic = BicubicUpsample(config.factor)
        self.head = ConvNormAct(1, c, config.head_kernel, activation=act)
        self.blocks = nn.Sequential(*[ResidualBlock(c, act, bn, post_activation=False)
                                      for _ in range(config.blocks)])
        self.body_tail = ConvNormAct(c, c, 3, batch_norm=bn, activation=None)
        if config.residual not in ("additive", "relative"):
            raise ValueError(f"unknown residual {config.residual!r}, expected 'additive' or 'relative'")
        if config.upsampling == "late":
            self.upsample = PixelShuffleUpsample(c, 1, config.factor)
        elif config.upsampling == "progressive":
            stages = int(round(math.log2(config.factor)))
            if 2 ** stages != config.factor:
                raise ValueError(f"progressive upsampling needs a power-of-two factor, got {config.factor}")
            layers = []
            for _ in range(stages):
                layers += [PixelShuffleUpsample(c, c, 2), make_activation(act, c)]
            layers.append(nn.Conv2d(c, 1, config.head_kernel, 1, config.head_kernel // 2))
            self.upsample = nn.Sequential(*layers)
        else:
            raise ValueError(f"unknown upsampling {config.upsampling!r}, expected 'late' or 'progressive'")
        last = self.residual_conv()
        nn.init.zeros_(last.weight)    # untrained generator == bicubic
        nn.init.zeros_(last.bias)

    def residual_conv(self) -> nn.Conv2d:
        """The convolution that produces the residual's pre-tanh value (zero at initialisation)."""
        return [m for m in self.upsample.modules() if isinstance(m, nn.Conv2d)][-1]

    def residual(self, signed: torch.Tensor) -> torch.Tensor:
        """tanh-bounded residual [N, 1, f*h, f*w] in signed units, from the normalised input."""
        features = self.head(signed)
        features = features + self.body_tail(self.blocks(features))
        return torch.tanh(self.upsample(features))

    def forward(self, low_res: torch.Tensor) -> torch.Tensor:
        scale = frame_scale(low_res)
        x = low_res / scale
        bic, covered = hole_aware_bicubic(self.bicubic, x, (low_res > 0).to(low_res.dtype))
        r = self.residual(to_signed_unit(x, 1.0))
        if self.config.residual == "relative":
            out = bic * (1.0 + r) * scale
        else:
            out = from_signed_unit(to_signed_unit(bic, 1.0) + r, scale)
        return torch.where(covered, F.relu(out), torch.zeros_like(out))


class Discriminator(nn.Module):
    """Input [N, 1, H, W] depth and the [N, 1, 1, 1] frame scale; output [N] logits (real = 1). Any H, W."""

    def __init__(self, config: DiscriminatorConfig = DiscriminatorConfig()):
        super().__init__()
        c = config.width
        layers = [ConvNormAct(1, c, 3, activation="leaky_relu")]
        for stage in range(config.stages):
            out = config.width * 2 ** stage
            if stage > 0:
                layers.append(ConvNormAct(c, out, 3, 1, True, "leaky_relu"))
            layers.append(ConvNormAct(out, out, 3, 2, True, "leaky_relu"))
            c = out
        layers += [nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, 2 * c, 1), make_activation("leaky_relu"),
                   nn.Conv2d(2 * c, 1, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, depth: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
        return self.net(to_signed_unit(depth, scale)).flatten()


def widen_generator(narrow: SRGenerator, config: SRGeneratorConfig) -> SRGenerator:
    """A ``config.width``-channel generator computing the same function as ``narrow`` (Net2Net-style widening,
    Chen et al. 2016, with zeros instead of copies): every convolution keeps ``narrow``'s weights on its old
    inputs and outputs; the new output channels keep their random initialisation, and every weight *from* a new
    channel *to* an old one is zero, so nothing the new channels compute reaches the old ones or the residual.
    The gradient on those zero weights is not zero (the new channels are active), so training grows them.
    Needs no batch norm on either side (fold it first: ``onnx_export.load_folded_conv_weights``) and the same
    factor, blocks, activation and upsampling; PReLU's per-channel slopes are not widened."""
    old = narrow.config
    same = ("factor", "blocks", "activation", "upsampling", "head_kernel", "residual")
    if old.batch_norm or config.batch_norm:
        raise ValueError("widening needs generators without batch norm")
    if any(getattr(old, k) != getattr(config, k) for k in same) or config.activation == "prelu":
        raise ValueError(f"widening keeps {same} (not prelu): {old} -> {config}")
    if config.width < old.width:
        raise ValueError(f"cannot widen {old.width} channels to {config.width}")
    wide = SRGenerator(config)
    pairs = [(n, w) for n, w in zip(narrow.modules(), wide.modules()) if isinstance(n, nn.Conv2d)]
    with torch.no_grad():
        for n, w in pairs:
            out_ch, in_ch = n.weight.shape[:2]
            w.weight[:out_ch] = 0.0
            w.weight[:out_ch, :in_ch] = n.weight
            w.bias[:out_ch] = n.bias
    return wide
