"""Fast depth interpolation (Korinevskaya & Makarov 2018, "fast" path): downscale the sparse map, interpolate
with residual / projection / downsampling blocks at low resolution, bring it back to full size with a
sub-pixel convolution (pixel shuffle)."""
import torch
from torch import nn

from .blocks import (ConvNormAct, DownsamplingBlock, PixelShuffleUpsample, ProjectionBlock, ResidualBlock,
                     pad_to_multiple, valid_aware_pool)
from .config import FastInterpConfig


class FastInterpNet(nn.Module):
    """Input [N, 2, H, W]: sparse depth in metres (0 = none) and validity mask (1/0).
    Output [N, 1, H, W] depth in metres (linear, not clamped).

    Any H, W: the input is zero-padded (zero = no measurement) to a multiple of ``2 * downscale`` and the
    output cropped back, inside the graph."""

    def __init__(self, config: FastInterpConfig = FastInterpConfig()):
        super().__init__()
        self.config = config
        c, act, s = config.width, config.activation, config.downscale
        self.multiple = 2 * s
        self.stem = ConvNormAct(2, c, 3, activation=act)
        self.res_low = ResidualBlock(c, act)
        self.down = DownsamplingBlock(c, 2 * c, act)
        self.res_lower = ResidualBlock(2 * c, act)
        self.up = PixelShuffleUpsample(2 * c, c, 2, kernel=1)
        self.merge = ProjectionBlock(2 * c, c, act)
        # ESPCN-style super-resolution head: features at 1/s -> s*s channels -> pixel shuffle to full size.
        self.head = nn.Sequential(ConvNormAct(c, c, 3, activation=act), PixelShuffleUpsample(c, 1, s))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2], x.shape[-1]
        x = pad_to_multiple(x, self.multiple)
        depth, mask = x[:, 0:1] / self.config.max_depth, x[:, 1:2]
        d, m = valid_aware_pool(depth, mask, self.config.downscale)
        f_low = self.res_low(self.stem(torch.cat([d, m], 1)))
        f_lower = self.res_lower(self.down(f_low))
        f = self.merge(torch.cat([f_low, self.up(f_lower)], 1))
        out = self.head(f) * self.config.max_depth
        return out[:, :, :h, :w]
