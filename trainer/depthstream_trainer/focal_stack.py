"""Depth from a variable-length focal stack (Bruns, "Scene Representations from Focal Stack for Depth
Estimation"): per image a conv encoder (focus distance as an extra channel) ending in LayerNorm, an LSTM that
combines the embeddings in stack order, a mirrored decoder, LayerNorm and a final conv with linear output."""
import torch
from torch import nn

from .blocks import ConvNormAct, LayerNorm2d, pad_to_multiple
from .config import FocalStackConfig
from .depth_from_focus import sum_modified_laplacian

OUTPUTS = ("absolute", "relative")


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

    def forward(self, stack: torch.Tensor, focus: torch.Tensor) -> torch.Tensor:
        n, t, _, h, w = stack.shape
        focus_plane = (focus / self.config.max_depth)[:, :, None, None, None].expand(n, t, 1, h, w)
        planes = [stack, focus_plane] + ([relative_sharpness(stack)] if self.config.sharpness else [])
        x = torch.cat(planes, 2).reshape(n * t, len(planes) + 2, h, w)
        emb = self.encoder(pad_to_multiple(x, self.multiple, "replicate"))
        c, eh, ew = emb.shape[1], emb.shape[2], emb.shape[3]
        seq = emb.reshape(n, t, c, eh, ew).permute(1, 0, 3, 4, 2).reshape(t, n * eh * ew, c)
        _, (hidden, _) = self.lstm(seq)
        z = hidden[-1].reshape(n, eh, ew, c).permute(0, 3, 1, 2)
        out = self.out(self.decoder(z))[:, :, :h, :w]
        if self.config.output == "relative":
            # exp of a clamped log-ratio: depth stays within e^+-4 of the mean focus distance and positive
            return focus.mean(1).view(n, 1, 1, 1) * torch.exp(torch.clamp(out, -4.0, 4.0))
        return out * self.config.max_depth
