"""Writes focal_synthesis_fixture.bin: a small RGB-D pair and the focal stack the trainer's synthesis
(trainer/depthstream_trainer/focal_synthesis.py, BlurModel() defaults: 256 layers, 2 px per metre, sigma <= 8 px
in steps of 0.25) makes of it at evenly spaced focus distances, so FocalStackSynthesisTest can check the Java
FocalStackSynthesis against it.

Run from the repository root (needs PyTorch; on the dev machine /usr/bin/python3 has it):

    /usr/bin/python3 depth-sim/src/test/resources/io/depthstream/depth/scene/make_focal_synthesis_fixture.py \
        [--trainer trainer]

File layout, little-endian: int32 t, h, w; float64 near, far (metres, depth_range); float64 focus[t] (metres,
numpy linspace(near, far, t + 2)[1:-1]); float32 rgb[3][h][w] in [0, 1]; float32 depth[h][w] (metres, 0 = none);
float32 stack[t][3][h][w] (synthesize_stack).

The scene: random colours over four fronto-parallel bands (0.7, 1.5, 2.5 and 3.8 m), a slanted ramp from 0.6 to
4 m (many layers, so many sigmas) and a block of holes (depth 0: the farthest layer).
"""
import argparse
import importlib.util
import struct
from pathlib import Path

import numpy as np
import torch

T, H, W = 3, 18, 26


def load_synthesis(trainer: Path):
    path = trainer / "depthstream_trainer" / "focal_synthesis.py"
    spec = importlib.util.spec_from_file_location("focal_synthesis", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scene():
    g = torch.Generator().manual_seed(20261206)
    rgb = torch.rand(3, H, W, generator=g)
    depth = torch.empty(H, W)
    for i, d in enumerate((0.7, 1.5, 2.5, 3.8)):
        depth[:9, i * 7: (i + 1) * 7] = d
    depth[9:, :] = torch.linspace(0.6, 4.0, W)
    depth[12:16, 3:9] = 0.0
    return rgb, depth


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainer", type=Path, default=Path("trainer"), help="the trainer directory")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("focal_synthesis_fixture.bin"))
    args = parser.parse_args()
    synthesis = load_synthesis(args.trainer)
    rgb, depth = scene()
    near, far = synthesis.depth_range(depth, 10.0)
    focus = np.linspace(near, far, T + 2)[1:-1]
    stack = synthesis.synthesize_stack(rgb, depth, focus, synthesis.BlurModel(), near, far)
    print("near %.4f far %.4f focus %s; stack %s, mean |stack - rgb| %.4f"
          % (near, far, focus.round(4).tolist(), tuple(stack.shape), (stack - rgb).abs().mean().item()))
    with open(args.out, "wb") as out:
        out.write(struct.pack("<3i", T, H, W))
        out.write(struct.pack("<2d", near, far))
        out.write(struct.pack("<%dd" % T, *focus.tolist()))
        for tensor in (rgb, depth, stack):
            out.write(tensor.numpy().astype("<f4").tobytes())
    print("wrote", args.out)


if __name__ == "__main__":
    main()
