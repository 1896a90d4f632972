"""Depth super-resolution GAN (Korinevskaya & Makarov 2018, after SRGAN, Ledig et al. 2017).

Generator: ELU + batch norm residual blocks at low resolution, sub-pixel upsampling, tanh output on depth
normalised to [-1, 1]. Discriminator: LeakyReLU + batch norm, strided convs, one logit per image."""
import math

import torch
from torch import nn

from .blocks import ConvNormAct, PixelShuffleUpsample, ResidualBlock, make_activation
from .config import DiscriminatorConfig, SRGeneratorConfig


def to_signed_unit(depth: torch.Tensor, max_depth: float) -> torch.Tensor:
    """Metres [0, max_depth] -> [-1, 1]; a hole (0 m) maps to -1, the near end."""
    return depth * (2.0 / max_depth) - 1.0


def from_signed_unit(x: torch.Tensor, max_depth: float) -> torch.Tensor:
    return (x + 1.0) * (max_depth / 2.0)


class SRGenerator(nn.Module):
    """Input [N, 1, h, w] low-resolution depth in metres; output [N, 1, h*f, w*f] metres in [0, max_depth].

    Works at the input resolution and upsamples at the end ("late"), which is what keeps it real-time on a
    CPU (ENVIRONMENT.md); "progressive" reproduces SRGAN's x2 stages for the speed comparison."""

    def __init__(self, config: SRGeneratorConfig = SRGeneratorConfig()):
        super().__init__()
        self.config = config
        c, act, bn = config.width, config.activation, config.batch_norm
        self.head = ConvNormAct(1, c, config.head_kernel, activation=act)
        self.blocks = nn.Sequential(*[ResidualBlock(c, act, bn, post_activation=False)
                                      for _ in range(config.blocks)])
        self.body_tail = ConvNormAct(c, c, 3, batch_norm=bn, activation=None)
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

    def forward(self, low_res: torch.Tensor) -> torch.Tensor:
        features = self.head(to_signed_unit(low_res, self.config.max_depth))
        features = features + self.body_tail(self.blocks(features))
        return from_signed_unit(torch.tanh(self.upsample(features)), self.config.max_depth)


class Discriminator(nn.Module):
    """Input [N, 1, H, W] depth in metres; output [N] logits (real = 1). Any H, W (global average pool)."""

    def __init__(self, config: DiscriminatorConfig = DiscriminatorConfig(), max_depth: float = 80.0):
        super().__init__()
        self.max_depth = max_depth
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

    def forward(self, depth: torch.Tensor) -> torch.Tensor:
        return self.net(to_signed_unit(depth, self.max_depth)).flatten()
