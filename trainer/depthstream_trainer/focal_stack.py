"""Depth from a variable-length focal stack (Bruns, "Scene Representations from Focal Stack for Depth
Estimation"): per image a conv encoder (focus distance as an extra channel) ending in LayerNorm, an LSTM that
combines the embeddings in stack order, a mirrored decoder, LayerNorm and a final conv with linear output."""
import torch
from torch import nn

from .blocks import ConvNormAct, LayerNorm2d, pad_to_multiple
from .config import FocalStackConfig
from .depth_from_focus import sum_modified_laplacian

OUTPUTS = ("absolute", "relative")


class FocusHead(nn.Module):
    """Full-resolution correction from the decoder's features and classical depth from focus per pixel.

    The 1/8-resolution bottleneck makes the decoder smooth; depth from focus is exact where texture is strong
    (and wrong where there is none). The head sees, at full resolution, a soft depth from focus (softmax over the
    stack of the relative sharpness times a learnt temperature, weighting the focus distances; as
    ln(depth / mean focus distance), the relative output's unit) and the peak relative sharpness (0 for T = 1,
    large on strong texture), and learns where to trust which. Its last conv starts at zero."""

    def __init__(self, features: int, width: int):
        super().__init__()
        self.temperature = nn.Parameter(torch.tensor(2.0))
        self.body = ConvNormAct(features + 2, width, 3)
        self.out = nn.Conv2d(width, 1, 3, 1, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, features: torch.Tensor, sharpness: torch.Tensor, focus: torch.Tensor) -> torch.Tensor:
        """features [N, C, H, W]; sharpness [N, T, 1, H, W] relative log focus measure; focus [N, T] metres."""
        weights = torch.softmax(sharpness * self.temperature, 1)
        soft_depth = (weights * focus[:, :, None, None, None]).sum(1)
        log_ratio = torch.log(soft_depth / focus.mean(1).view(-1, 1, 1, 1))
        peak = sharpness.amax(1)
        return self.out(self.body(torch.cat([features, log_ratio, peak], 1)))


def relative_sharpness(stack: torch.Tensor, window: int = 9) -> torch.Tensor:
    """[N, T, 3, H, W] -> [N, T, 1, H, W]: ln(SML + 1e-3) of each image (the depth-from-focus measure, 9x9 window)
    minus its mean over the stack, so the value says how much sharper the image is than the stack's others at that
    pixel; 0 everywhere for a single image. Parameter-free and exported with the graph."""
    n, t, _, h, w = stack.shape
    sml = sum_modified_laplacian(stack.reshape(n * t, 3, h, w), window) / float(window * window)
    log_sml = torch.log(sml + 1e-3).reshape(n, t, 1, h, w)
    return log_sml - log_sml.mean(1, keepdim=True)


class FocalStackNet(nn.Module):
    """Inputs: stack [N, T, 3, H, W] RGB in [0, 1]; focus [N, T] focus distances in metres, in the order the
    images were taken (T >= 1). Output [N, 1, H, W] depth in metres (linear).

    Stride-2 convs with kernel 4 / padding 1 halve even sizes exactly and ConvTranspose2d with the same
    parameters doubles them, so the encoder is invertible in shape; inputs are replicate-padded to a multiple
    of 2^levels inside the graph and the output cropped back. The LSTM runs per embedding pixel over the
    stack (sequence = T), so T stays dynamic in ONNX."""

    def __init__(self, config: FocalStackConfig = FocalStackConfig()):
        super().__init__()
        if config.output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {config.output!r}")
        self.config = config
        w = list(config.widths)
        self.multiple = 2 ** (len(w) - 1)
        enc = [ConvNormAct(5 if config.sharpness else 4, w[0], 3)]
        for a, b in zip(w[:-1], w[1:]):
            enc += [nn.Conv2d(a, b, 4, 2, 1), nn.ReLU(inplace=True), ConvNormAct(b, b, 3)]
        self.encoder = nn.Sequential(*enc, LayerNorm2d(w[-1]))
        self.lstm = nn.LSTM(w[-1], w[-1])
        dec = []
        for a, b in zip(w[::-1][:-1], w[::-1][1:]):
            dec += [ConvNormAct(a, a, 3), nn.ConvTranspose2d(a, b, 4, 2, 1), nn.ReLU(inplace=True)]
        self.decoder = nn.Sequential(*dec, ConvNormAct(w[0], w[0], 3), LayerNorm2d(w[0]))
        self.out = nn.Conv2d(w[0], 1, 3, 1, 1)
        if config.focus_head and not (config.sharpness and config.output == "relative"):
            raise ValueError("focus_head needs sharpness (its input) and the relative output (its unit)")
        self.focus_head = FocusHead(w[0], config.focus_head) if config.focus_head else None

    def forward(self, stack: torch.Tensor, focus: torch.Tensor) -> torch.Tensor:
        n, t, _, h, w = stack.shape
        focus_plane = (focus / self.config.max_depth)[:, :, None, None, None].expand(n, t, 1, h, w)
        sharpness = relative_sharpness(stack) if self.config.sharpness else None
        planes = [stack, focus_plane] + ([sharpness] if sharpness is not None else [])
        x = torch.cat(planes, 2).reshape(n * t, len(planes) + 2, h, w)
        emb = self.encoder(pad_to_multiple(x, self.multiple, "replicate"))
        c, eh, ew = emb.shape[1], emb.shape[2], emb.shape[3]
        seq = emb.reshape(n, t, c, eh, ew).permute(1, 0, 3, 4, 2).reshape(t, n * eh * ew, c)
        _, (hidden, _) = self.lstm(seq)
        z = hidden[-1].reshape(n, eh, ew, c).permute(0, 3, 1, 2)
        features = self.decoder(z)
        out = self.out(features)[:, :, :h, :w]
        if self.focus_head is not None:
            out = out + self.focus_head(features[:, :, :h, :w], sharpness, focus)
        if self.config.output == "relative":
            # exp of a clamped log-ratio: depth stays within e^+-4 of the mean focus distance and positive
            return focus.mean(1).view(n, 1, 1, 1) * torch.exp(torch.clamp(out, -4.0, 4.0))
        return out * self.config.max_depth
