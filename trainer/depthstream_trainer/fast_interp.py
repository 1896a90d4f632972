"""Fast depth interpolation, v2 (Korinevskaya & Makarov 2018, "fast" path): downscale the sparse map, interpolate
with residual / projection / downsampling blocks at low resolution, bring it back to full size with a
sub-pixel convolution (pixel shuffle).

v2 changes against v1 (issue 4 / issue 5: v1 was too slow for the stream and lost to linear interpolation):

- no padding / cropping in the graph: H and W must be multiples of ``2 * downscale``; the exported model says so
  in its metadata (``depthstream.input_multiple``) and the caller pads bottom/right with zeros (depth 0, mask 0 =
  no measurement) and crops the output (``pad_input`` / ``crop_output`` below, the Java runner does the same);
- one AveragePool over both input channels does the valid-aware downscale: depth is 0 where the mask is 0, so
  the pooled map is [mean of d over the block, valid fraction] and the division happens at low resolution;
- per-frame scale normalisation instead of a fixed ``max_depth``: the net works on depth / (mean valid depth of
  the frame) and multiplies back at low resolution before the pixel shuffle, so one model serves indoor
  (0.5-10 m) and road (to 80 m) frames and the output scale costs no full-resolution multiply;
- a dense first guess: an in-graph push-pull fill (Gortler et al. 1996, "The Lumigraph", pull-push) of the
  low-resolution map is an input channel of the net and, upsampled bilinearly by a fixed sub-pixel convolution,
  the base the net's output is added to (output = upsampled prefill + learned correction);
- ``keep_samples``: at full resolution the measured samples replace the prediction, so the output agrees with
  the sensor wherever it measured, like linear interpolation does. In PyTorch it is one Where; the ONNX export
  leaves it to the runner (``KEEP_SAMPLES_KEY`` in the metadata; issue 16: the full-resolution Where, Split and
  Greater cost ~0.7 ms of ~11 in ONNX Runtime, the Java copy loop touches every pixel anyway).

The export keeps every full-resolution and low-resolution step in ONNX Runtime's blocked (NCHWc) layout where it
can: the patch embedding's two halves are one 16-output convolution of the input with its depth channel divided by
the frame scale (same weights, same function as dividing the depth half of the output; see ``PatchEmbedding``), so
its sum with the stem fuses into the stem convolution instead of running as NCHW Split / Div / Add with layout
conversions around them.

Width 16 (ONNX Runtime's NCHWc blocks are 16 channels wide on AVX-512, so 24 costs as much as 32).
"""
import torch
import torch.nn.functional as F
from torch import nn

from .blocks import (ConvNormAct, DownsamplingBlock, PixelShuffleUpsample, ResidualBlock, make_activation,
                     pad_to_multiple)
from .config import FastInterpConfig

INPUT_MULTIPLE_KEY = "depthstream.input_multiple"
# "1" when the exported graph leaves keep_samples to the caller: output = input depth wherever the mask is 1.
KEEP_SAMPLES_KEY = "depthstream.keep_samples"
# "b" when the exported graph's input and output are in space-to-depth (block) layout of block size b (issue 16,
# session 10): input ``sparse_blocks`` [N, 2 b^2, H / b, W / b] = pixel_unshuffle([depth, mask], b), output
# ``depth_blocks`` [N, b^2, H / b, W / b] = pixel_unshuffle(depth, b); the runner packs and unpacks in its copy loops.
BLOCK_SIZE_KEY = "depthstream.block_size"
EPS = 1e-6


def pad_input(x: torch.Tensor, multiple: int) -> torch.Tensor:
    """Zero-pad [N, C, H, W] at the bottom/right to multiples of ``multiple`` (zero = no measurement), as the
    Java runner does before it calls the model."""
    return pad_to_multiple(x, multiple)


def crop_output(y: torch.Tensor, height: int, width: int) -> torch.Tensor:
    return y[..., :height, :width]


def bilinear_subpixel_weights(factor: int) -> torch.Tensor:
    """[factor^2, 1, 3, 3] weights of a convolution whose pixel-shuffled output is the bilinear (half-pixel
    centres; the caller pads the input by replicating its edge) upsampling of its input by ``factor``.

    Output sub-pixel (i, j) of low-res pixel (y, x) sits at low-res coordinate y + (i + 0.5) / factor - 0.5, so
    it interpolates between rows y and y - 1 or y + 1 with weights from that offset (same for columns)."""
    w = torch.zeros(factor * factor, 1, 3, 3)
    for i in range(factor):
        for j in range(factor):
            oy, ox = (i + 0.5) / factor - 0.5, (j + 0.5) / factor - 0.5
            ky, kx = torch.zeros(3), torch.zeros(3)
            ky[1], kx[1] = 1 - abs(oy), 1 - abs(ox)
            ky[2 if oy > 0 else 0] += abs(oy)
            kx[2 if ox > 0 else 0] += abs(ox)
            w[i * factor + j, 0] = ky[:, None] * kx[None, :]
    return w


def frame_scale(pooled: torch.Tensor) -> torch.Tensor:
    """[N, 1, 1, 1] mean valid depth of each frame (metres) from a [mean of d, valid fraction] map of any
    resolution (the ratio of the two sums); 1 mm for a frame without samples, whose output is then 0."""
    total = pooled.sum(dim=(2, 3), keepdim=True)
    return torch.clamp(total[:, 0:1] / torch.clamp(total[:, 1:2], min=EPS), min=1e-3)


class PushPullFill(nn.Module):
    """Dense fill of a [sum-like value, weight] map by pull-push over ``levels`` halvings.

    Input pooled [N, 2, h, w]: channel 0 = mean of (depth * mask) over each block, channel 1 = valid fraction
    (so channel 0 / channel 1 = mean valid depth). Push: AveragePool by 2 of both channels at once (the ratio is
    the mean valid depth of the bigger block; ceil mode for odd sizes). Pull, coarse to fine: a block's own mean
    where it holds a measurement, else the bilinearly upsampled coarser fill; the blend weight
    min(1, fraction * pixels per block) reaches 1 with one measured pixel. Returns [N, 1, h, w]."""

    def __init__(self, levels: int, block_pixels: int):
        super().__init__()
        self.levels = levels
        self.block_pixels = block_pixels

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        pyramid = [pooled]
        for _ in range(self.levels):
            pyramid.append(F.avg_pool2d(pyramid[-1], 2, ceil_mode=True))
        fill = None
        for k in range(self.levels, -1, -1):
            s, w = pyramid[k][:, 0:1], pyramid[k][:, 1:2]
            own = s / torch.clamp(w, min=EPS)
            if fill is None:
                fill = own
                continue
            alpha = torch.clamp(w * float(self.block_pixels * 4 ** k), max=1.0)
            up = F.interpolate(fill, size=(s.shape[-2], s.shape[-1]), mode="bilinear", align_corners=False)
            fill = up + alpha * (own - up)
        return fill


class PatchEmbedding(nn.Conv2d):
    """Strided s x s convolution of the full-resolution [depth, mask] input, no bias, 2c weights: 0..c-1 see the
    depth channel only, c..2c-1 the mask only (the weights are masked, so training keeps that structure); the
    output is their sum with the depth half divided by the frame scale (``forward``)."""

    def __init__(self, channels: int, factor: int):
        super().__init__(2, 2 * channels, factor, factor, bias=False)
        keep = torch.zeros(2 * channels, 2, 1, 1)
        keep[:channels, 0], keep[channels:, 1] = 1.0, 1.0
        self.register_buffer("mask", keep, persistent=False)
        # 1 for the depth half of the block layout's channels, 0 for the mask half (``forward_blocks``)
        depth_blocks = torch.zeros(1, 2 * factor * factor, 1, 1)
        depth_blocks[:, :factor * factor] = 1.0
        self.register_buffer("depth_blocks", depth_blocks, persistent=False)

    def forward(self, x: torch.Tensor, scale: torch.Tensor, blocks: bool = False) -> torch.Tensor:
        """[N, c, h, w] = (depth half) / ``scale`` + (mask half) of the masked 2c-output convolution of x, as ONE
        c-output convolution: the depth half sees channel 0 only and the mask half channel 1 only, so the sum is
        the convolution with weight [depth half's channel 0, mask half's channel 1] of the input whose depth
        channel is divided by ``scale`` ([N, 1, 1, 1]; a full-resolution Mul by [1 / scale, 1] per channel). Same
        function as adding the two halves (float rounding aside; issue 16: the halves cost a Split, a Div, two
        Adds and layout conversions in ONNX Runtime), half the convolution's outputs. ``blocks``: x is in block
        layout (``forward_blocks``)."""
        if blocks:
            return self.forward_blocks(x, scale)
        c = self.out_channels // 2
        masked = self.weight * self.mask
        weight = torch.cat([masked[:c, 0:1], masked[c:, 1:2]], 1)
        per_channel = torch.cat([1.0 / scale, torch.ones_like(scale)], 1)
        return F.conv2d(x * per_channel, weight, None, self.stride)

    def forward_blocks(self, blocks: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
        """``forward`` of the input in block layout (``pixel_unshuffle(x, s)``, [N, 2 s^2, H / s, W / s]): the
        strided s x s convolution is a 1x1 convolution of the blocks with the same weights, reshaped (channel
        c s^2 + i s + j of the blocks is pixel (i, j) of channel c of each s x s block), and the Mul by [1 / scale,
        1] runs per block channel at low resolution. Same function."""
        c, s = self.out_channels // 2, self.stride[0]
        masked = self.weight * self.mask
        weight = torch.cat([masked[:c, 0:1], masked[c:, 1:2]], 1).reshape(c, 2 * s * s, 1, 1)
        # [1 / scale] * s^2 then [1] * s^2, as one Mul and one Add of [N, 1, 1, 1] with constants (an Expand of
        # the scale exports as shape arithmetic)
        per_channel = (1.0 / scale) * self.depth_blocks + (1.0 - self.depth_blocks)
        return F.conv2d(blocks * per_channel, weight)


class BilinearSubpixel(nn.Module):
    """Fixed convolution whose pixel-shuffled output is the bilinear upsampling of [N, 1, h, w] by ``factor``
    (edge replicated); returns [N, factor^2, h, w]."""

    def __init__(self, factor: int):
        super().__init__()
        self.register_buffer("weight", bilinear_subpixel_weights(factor), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), self.weight)

    @staticmethod
    def macs(inputs, output) -> int:
        return output.numel() * 9


class FastInterpNet(nn.Module):
    """Input [N, 2, H, W]: sparse depth in metres (0 = none) and validity mask (1/0); H and W multiples of
    ``self.multiple`` (= 2 * downscale; pad with ``pad_input``). Output [N, 1, H, W] depth in metres (linear,
    not clamped)."""

    def __init__(self, config: FastInterpConfig = FastInterpConfig()):
        super().__init__()
        self.config = config
        c, act, s = config.width, config.activation, config.downscale
        self.multiple = 2 * s
        self.prefill = PushPullFill(config.prefill_levels, s * s)
        self.stem = ConvNormAct(2, c, 3, activation=None)
        self.stem_act = make_activation(act, c)
        if config.patch_embed:
            # Where inside its s x s block each sample lies is lost by the pooling; a strided s x s convolution
            # of the full-resolution input keeps it (ViT-style patch embedding, no bias): outputs 0..c-1 see the
            # depth channel only, so dividing them by the frame scale keeps the net scale-equivariant; outputs
            # c..2c-1 see the mask only.
            self.embed = PatchEmbedding(c, s)
        self.res_low = ResidualBlock(c, act)
        self.down = DownsamplingBlock(c, 2 * c, act)
        self.res_lower = ResidualBlock(2 * c, act)
        self.up = PixelShuffleUpsample(2 * c, c, 2, kernel=1)
        # U-Net-style additive skip (no Concat, and a c -> c block instead of a 2c -> c projection block: v1's
        # Concat + projection cost 2.3 ms of the budget at 640x480).
        self.merge = ResidualBlock(c, act)
        # ESPCN-style super-resolution head: features at 1/s -> s*s channels (the correction of every
        # sub-pixel) -> pixel shuffle to full size.
        # (v1's extra 3x3 conv before it is gone: it paid for the patch embedding in the time budget.)
        self.head = nn.Sequential(nn.Conv2d(c, s * s, 3, 1, 1))
        nn.init.zeros_(self.head[-1].weight)    # start as the upsampled prefill: a usable model from step 0
        nn.init.zeros_(self.head[-1].bias)
        self.upsample = BilinearSubpixel(s)
        # True while exporting (``onnx_export``): the same function in forms ONNX Runtime runs faster (the 2x
        # sub-pixel upsampling as one transposed convolution) and keep_samples left to the runner
        # (KEEP_SAMPLES_KEY in the metadata).
        self.export_layout = False
        # True while exporting in block layout (BLOCK_SIZE_KEY): input pixel_unshuffle([depth, mask], s), output
        # the s^2 sub-pixel channels before the final pixel shuffle. No full-resolution tensor is left in the graph:
        # the valid-aware AveragePool is a ReduceMean over each half's s^2 block channels (a fixed 1x1 convolution
        # was slower: ONNX Runtime reorders its input to NCHWc a second time), the patch embedding a 1x1
        # convolution (``PatchEmbedding.forward_blocks``), the final DepthToSpace the runner's output copy.
        self.block_io = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, 2, H, W], or with ``block_io`` its [N, 2 s^2, H / s, W / s] block layout (returns [N, s^2, H / s,
        W / s] then: the output before its pixel shuffle)."""
        s = self.config.downscale
        blocks = self.block_io and s > 1
        # One AveragePool over both channels: depth is 0 where the mask is 0, so this is [mean d, valid fraction].
        # In block layout the same mean is a ReduceMean of each half's s^2 channels.
        if blocks:
            pooled = x.reshape(x.shape[0], 2, s * s, x.shape[2], x.shape[3]).mean(2)
        else:
            pooled = F.avg_pool2d(x, s) if s > 1 else x
        scale = frame_scale(pooled)     # ReduceSum over the small map, not the full-resolution input
        fill = self.prefill(pooled) / scale
        f0 = self.stem(torch.cat([fill, pooled[:, 1:2]], 1))
        if self.config.patch_embed:
            f0 = f0 + self.embed(x, scale, blocks)
        f_low = self.res_low(self.stem_act(f0))
        f_lower = self.res_lower(self.down(f_low))
        f = self.merge(f_low + (self.up.as_transposed_conv(f_lower) if self.export_layout else self.up(f_lower)))
        if s == 1:      # full-resolution variant: nothing to upsample or shuffle
            out = (self.head(f) + fill) * scale
        elif blocks:
            return (self.head(f) + self.upsample(fill)) * scale
        else:
            out = F.pixel_shuffle((self.head(f) + self.upsample(fill)) * scale, s)
        if self.config.keep_samples and not self.export_layout:
            out = torch.where(x[:, 1:2] > 0.5, x[:, 0:1], out)
        return out


def run_padded(model: FastInterpNet, x: torch.Tensor) -> torch.Tensor:
    """``model`` on an input of any size: zero-padded to ``model.multiple``, output cropped back (what the Java
    runner does around the ONNX model)."""
    h, w = x.shape[-2], x.shape[-1]
    return crop_output(model(pad_input(x, model.multiple)), h, w)
