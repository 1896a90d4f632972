"""Building blocks shared by the networks: residual, projection and downsampling blocks (He et al. 2016,
"Deep Residual Learning", identity vs. 1x1-projection shortcuts), pixel-shuffle upsampling (Shi et al. 2016,
ESPCN sub-pixel convolution) and a channel-wise LayerNorm for feature maps."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

ACTIVATIONS = ("relu", "elu", "leaky_relu", "prelu")


def make_activation(name: str, channels: Optional[int] = None) -> nn.Module:
    """ReLU fuses into convolutions in ONNX Runtime, ELU does not (ENVIRONMENT.md): keep the choice a setting."""
    if name == "relu":
        return nn.ReLU(inplace=True)
    if name == "elu":
        return nn.ELU(inplace=True)
    if name == "leaky_relu":
        return nn.LeakyReLU(0.2, inplace=True)
    if name == "prelu":
        return nn.PReLU(channels or 1)
    raise ValueError(f"unknown activation {name!r}, expected one of {ACTIVATIONS}")


class ConvNormAct(nn.Sequential):
    """Conv2d (same padding) followed by optional BatchNorm and optional activation."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int = 3, stride: int = 1,
                 batch_norm: bool = False, activation: Optional[str] = "relu"):
        layers = [nn.Conv2d(in_ch, out_ch, kernel, stride, kernel // 2, bias=not batch_norm)]
        if batch_norm:
            layers.append(nn.BatchNorm2d(out_ch))
        if activation is not None:
            layers.append(make_activation(activation, out_ch))
        super().__init__(*layers)


class ResidualBlock(nn.Module):
    """Two 3x3 convs with an identity shortcut.

    ``post_activation=True`` is the ResNet form act(x + F(x)); ``False`` is the SRGAN form x + F(x).
    """

    def __init__(self, channels: int, activation: str = "relu", batch_norm: bool = False,
                 post_activation: bool = True):
        super().__init__()
        self.body = nn.Sequential(
            ConvNormAct(channels, channels, 3, 1, batch_norm, activation),
            ConvNormAct(channels, channels, 3, 1, batch_norm, None))
        self.post = make_activation(activation, channels) if post_activation else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.post(x + self.body(x))


class ProjectionBlock(nn.Module):
    """Residual block that changes the channel count; the shortcut is a 1x1 convolution (projection)."""

    def __init__(self, in_ch: int, out_ch: int, activation: str = "relu", batch_norm: bool = False,
                 stride: int = 1):
        super().__init__()
        self.body = nn.Sequential(
            ConvNormAct(in_ch, out_ch, 3, stride, batch_norm, activation),
            ConvNormAct(out_ch, out_ch, 3, 1, batch_norm, None))
        self.shortcut = nn.Conv2d(in_ch, out_ch, 1, stride, bias=False)
        self.post = make_activation(activation, out_ch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.post(self.shortcut(x) + self.body(x))


class DownsamplingBlock(ProjectionBlock):
    """Projection block with stride 2: halves H and W (both must be even)."""

    def __init__(self, in_ch: int, out_ch: int, activation: str = "relu", batch_norm: bool = False):
        super().__init__(in_ch, out_ch, activation, batch_norm, stride=2)


class PixelShuffleUpsample(nn.Sequential):
    """Sub-pixel convolution: conv to out_ch * r^2 channels, then PixelShuffle(r) (ONNX DepthToSpace)."""

    def __init__(self, in_ch: int, out_ch: int, factor: int, kernel: int = 3):
        super().__init__(nn.Conv2d(in_ch, out_ch * factor * factor, kernel, 1, kernel // 2),
                         nn.PixelShuffle(factor))
        self.factor = factor

    def as_transposed_conv(self, x: torch.Tensor) -> torch.Tensor:
        """``forward(x)`` of a 1x1 block as ONE transposed convolution (kernel = stride = r) of x and a constant-1
        channel that carries the bias: output[co, r y + i, r x + j] = sum_ci W[co r^2 + i r + j, ci] x[ci, y, x]
        + b[co r^2 + i r + j], which is the pixel shuffle (CRD) of the 1x1 convolution. Same weights, same
        function (float rounding aside). ONNX Runtime's CPU DepthToSpace is a generic 6-D transpose that cost as
        much as a 3x3 convolution of the fast net (issue 16); its ConvTranspose is one GEMM and a scatter."""
        conv, r = self[0], self.factor
        if conv.kernel_size != (1, 1):
            raise ValueError("as_transposed_conv needs a 1x1 sub-pixel convolution")
        with_bias = torch.cat([conv.weight[:, :, 0, 0], conv.bias[:, None]], 1)        # [c r^2, in + 1]
        weight = with_bias.t().reshape(with_bias.shape[1], -1, r, r)                    # [in + 1, c, r, r]
        return F.conv_transpose2d(torch.cat([x, torch.ones_like(x[:, :1])], 1), weight, stride=r)


class LayerNorm2d(nn.Module):
    """LayerNorm over the channels of every pixel of an NCHW map (exports as ONNX LayerNormalization).

    Normalising per pixel rather than over (C, H, W) keeps the layer independent of the image size."""

    def __init__(self, channels: int, eps: float = 1e-5):
        super().__init__()
        self.norm = nn.LayerNorm(channels, eps=eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


def pad_to_multiple(x: torch.Tensor, multiple: int, mode: str = "constant") -> torch.Tensor:
    """Pad the last two dims at the bottom/right up to multiples of ``multiple``.

    Works with traced sizes, so an exported graph accepts any H and W. Zero ("constant") padding means
    "no measurement" for sparse depth inputs; images use "replicate"."""
    h, w = x.shape[-2], x.shape[-1]
    pad_h = (multiple - h % multiple) % multiple
    pad_w = (multiple - w % multiple) % multiple
    return F.pad(x, (0, pad_w, 0, pad_h), mode=mode)


def valid_aware_pool(depth: torch.Tensor, mask: torch.Tensor, factor: int):
    """Average only the valid samples of each factor x factor block.

    Returns (mean valid depth, fraction of valid pixels); a block with no sample gets depth 0. This is what a
    low-resolution sensor integrates over its larger pixel, and unlike plain average pooling it does not pull
    depth towards 0 where samples are sparse. H and W must be multiples of ``factor``."""
    if factor == 1:
        return depth * mask, mask
    weight = F.avg_pool2d(mask, factor)
    total = F.avg_pool2d(depth * mask, factor)
    return total / torch.clamp(weight, min=1e-6), weight
