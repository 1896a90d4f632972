"""Writes dff_fixture.bin: a small synthetic focal stack and the depth the trainer's Python baseline
(trainer/depthstream_trainer/depth_from_focus.py, Gaussian interpolation, 9 x 9 window) computes for it, so that
DepthFromFocusTest can check the Java DepthFromFocus against it.

Run from the repository root (needs PyTorch; on the dev machine /usr/bin/python3 has it):

    /usr/bin/python3 depth-core/src/test/resources/io/depthstream/depth/focus/make_dff_fixture.py \
        [--trainer trainer]

File layout, little-endian: int32 t, h, w; float32 focus[t] (metres, near to far); uint8 stack[t][3][h][w]
(the colour is value / 255); float32 depth[h][w] (metres, the baseline computed in float64, stored as float32).

The scene: a random 8-bit texture over a depth map of four fronto-parallel bands (one at each focus distance), a
slanted ramp between 0.5 and 4 m (exercises the interpolation), and a flat grey square (textureless in every
image). Image k blurs each pixel with a Gaussian of sigma = 2.5 |1/d - 1/f_k| (metres^-1, thin-lens circle of
confusion up to a constant), chosen per pixel from a bank of pre-blurred copies.
"""
import argparse
import importlib.util
import struct
from pathlib import Path

import torch
import torch.nn.functional as F

T, H, W = 4, 24, 32
FOCUS = (0.5, 1.0, 2.0, 4.0)


def load_baseline(trainer: Path):
    path = trainer / "depthstream_trainer" / "depth_from_focus.py"
    spec = importlib.util.spec_from_file_location("depth_from_focus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gaussian_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """[3, H, W] float64, separable Gaussian with replicated borders."""
    if sigma < 1e-3:
        return image.clone()
    r = max(1, int(3 * sigma + 0.5))
    x = torch.arange(-r, r + 1, dtype=image.dtype)
    k = torch.exp(-0.5 * (x / sigma) ** 2)
    k = k / k.sum()
    p = F.pad(image[None], (r, r, r, r), mode="replicate")
    p = F.conv2d(p, k.view(1, 1, 1, -1).expand(3, 1, 1, -1), groups=3)
    p = F.conv2d(p, k.view(1, 1, -1, 1).expand(3, 1, -1, 1), groups=3)
    return p[0]


def scene():
    g = torch.Generator().manual_seed(20240501)
    texture = torch.randint(0, 256, (3, H, W), generator=g).double() / 255
    depth = torch.empty(H, W, dtype=torch.float64)
    for i, f in enumerate(FOCUS):                      # four bands, 8 columns each, rows 0..11
        depth[:12, 8 * i: 8 * (i + 1)] = f
    ramp = torch.linspace(0.5, 4.0, W, dtype=torch.float64)
    depth[12:, :] = ramp                               # rows 12..23: slanted plane
    flat = torch.zeros(H, W, dtype=torch.bool)
    flat[14:22, 2:10] = True                           # a textureless grey square inside the ramp
    texture[:, flat] = 0.5
    sigmas = [0.25 * i for i in range(0, 25)]          # blur bank 0..6 px
    bank = torch.stack([gaussian_blur(texture, s) for s in sigmas])  # [S, 3, H, W]
    images = []
    for f in FOCUS:
        sigma = (2.5 * (1 / depth - 1 / f).abs()).clamp(max=sigmas[-1])
        level = (sigma / 0.25).round().long()          # [H, W]
        image = bank.gather(0, level[None, None].expand(1, 3, H, W))[0]
        images.append(image)
    stack = torch.stack(images)                        # [T, 3, H, W]
    return (stack * 255).round().clamp(0, 255).to(torch.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainer", type=Path, default=Path("trainer"), help="the trainer directory")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("dff_fixture.bin"))
    args = parser.parse_args()
    baseline = load_baseline(args.trainer)
    stack8 = scene()
    focus = torch.tensor([FOCUS], dtype=torch.float64)
    rgb = stack8.double()[None] / 255
    depth64 = baseline.depth_from_focus(rgb, focus)[0, 0]
    depth32 = baseline.depth_from_focus(stack8.float()[None] / 255, focus.float())[0, 0]
    print("float32 vs float64 baseline: max |diff| = %.3g m" % (depth32.double() - depth64).abs().max().item())
    print("depth per band (row 5):", [round(v, 4) for v in depth64[5, 4::8].tolist()])
    with open(args.out, "wb") as out:
        out.write(struct.pack("<3i", T, H, W))
        out.write(struct.pack("<%df" % T, *FOCUS))
        out.write(stack8.numpy().tobytes())
        out.write(depth64.float().numpy().astype("<f4").tobytes())
    print("wrote", args.out)


if __name__ == "__main__":
    main()
