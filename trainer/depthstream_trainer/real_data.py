"""Real-data checks of trained checkpoints (report only; the Java evaluator with ONNX Runtime is the reference).

TUM RGB-D (shared/data/tum_rgbd/TUM_depth.png, uint16, metres = value / 5000, 0 = missing): a uniform sample
(each valid pixel kept with probability p, numpy seeded) is filled by the fast net and by
``scipy.interpolate.griddata(method='linear')`` of the SAME samples (outside the samples' convex hull, where linear
interpolation is undefined, the nearest sample fills in). RMSE / MAE / rel over every valid ground-truth pixel,
and over the valid pixels inside the hull alone.

    /usr/bin/python3 -m depthstream_trainer.real_data tum --checkpoint runs/fast/checkpoint.pt --p 0.05

``sparse`` does the same on TUM, NYU raw Kinect and SUN RGB-D (all 640x480 indoor; readers follow
shared/data/MANIFEST.md's format notes) and also scores the net's own push-pull prefill alone (zero correction):

    /usr/bin/python3 -m depthstream_trainer.real_data sparse --checkpoint runs/fast/checkpoint.pt --seeds 3

Middlebury set C (shared/data/middlebury_msgnet_setC/depth_derived_pgm/*.pgm, 8-bit scaled disparity,
hole-filled), standard protocol of tools/depth-tools/EVALUATION.md: low-res = MATLAB ``imresize(gt, 1/8)`` (antialiased
Keys bicubic, a = -0.5, symmetric edges, size ceil(n / 8), scale = output / input size per axis, as depth-core's
Resampler), upscale to the original size, RMSE over all pixels in file units. The bicubic row is recomputed here with the same MATLAB-style resampler and must match EVALUATION.md
(Cones 5.51, Teddy 4.03, Tsukuba 12.33, Venus 2.72), which checks the resampler. The 8-bit values are fed as
``value * scale`` (``--scale``, 8 / 255 by default) and the output divided by it again; the generator normalises
each frame by its maximum, so the scale does not change its result (it only mattered for the old fixed-max_depth
generator). Where 8 does not divide the size, the net's output (8 x the ceil-sized low-res input, the same extent
as the original) is resampled onto the original grid with the same bicubic (for an untrained generator, i.e. pure
bicubic, this costs at most 0.013: Teddy 4.047 vs 4.034). At x8 the published depth-only MS-Net row (Hui et al.
2016, as quoted by the issue) is printed beside; EVALUATION.md explains why published rows are not strictly
comparable.

    /usr/bin/python3 -m depthstream_trainer.real_data middlebury --checkpoint runs/sr8/checkpoint.pt
"""
import argparse
import math
import os

import numpy as np
import torch

from .models import load_checkpoint_model
from .real_frames import READERS, errors, linear_fill, predict_padded, read_pgm, read_tum, sparse_rows, zero_correction
from .resample import imresize

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")


# Depth-only MS-Net x8 RMSE (Hui, Loy & Tang 2016, hole-filled set C), the target row.
MSNET_X8 = {"cones": 5.22, "teddy": 2.87, "tsukuba": 9.99, "venus": 0.88}


def sparse(args) -> None:
    """TUM / NYU / SUN RGB-D (640x480 indoor), uniform p of the valid pixels, vs griddata linear."""
    state, model = load_checkpoint_model(args.checkpoint)
    prefill = zero_correction(model) if hasattr(model, "prefill") else None
    print(f"uniform p={args.p} of the valid pixels, mean of {args.seeds} seeds, all valid pixels, "
          f"checkpoint step {state['step']}\n")
    print("| data | net RMSE m | linear RMSE m | prefill RMSE m | net MAE m | linear MAE m | net rel | linear rel |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.datasets:
        r = sparse_rows(model, READERS[name](args.data), args.p, args.seeds, prefill)
        pre = f"{r['prefill']['rmse']:.4f}" if prefill is not None else ""
        print(f"| {name} | {r['model']['rmse']:.4f} | {r['linear']['rmse']:.4f} | {pre} | {r['model']['mae']:.4f} | "
              f"{r['linear']['mae']:.4f} | {r['model']['rel']:.4f} | {r['linear']['rel']:.4f} |", flush=True)


def tum(args) -> None:
    state, model = load_checkpoint_model(args.checkpoint)
    gt = read_tum(args.data)
    valid = gt > 0
    rows = {"model": [], "griddata": [], "model_hull": [], "griddata_hull": []}
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        keep = valid & (rng.random(gt.shape) < args.p)
        pred = predict_padded(model, np.where(keep, gt, 0.0), keep)
        lin, hull = linear_fill(gt, keep)
        rows["model"].append(errors(pred, gt, valid))
        rows["griddata"].append(errors(lin, gt, valid))
        rows["model_hull"].append(errors(pred, gt, valid & hull))
        rows["griddata_hull"].append(errors(lin, gt, valid & hull))
        print(f"seed {seed}: {int(keep.sum())} samples ({keep.sum() / valid.sum():.3%} of valid), "
              f"model rmse {rows['model'][-1]['rmse']:.4f}, griddata rmse {rows['griddata'][-1]['rmse']:.4f}",
              flush=True)
    print(f"\nTUM_depth.png 640x480, uniform p={args.p} of the valid pixels, {args.seeds} seeds (mean), "
          f"checkpoint step {state['step']}\n")
    print("| method | pixels | RMSE m | MAE m | rel |\n|---|---|---|---|---|")
    for name, label in (("model", "fast net"), ("griddata", "griddata linear (+nearest outside hull)"),
                        ("model_hull", "fast net"), ("griddata_hull", "griddata linear")):
        m = {k: np.mean([r[k] for r in rows[name]]) for k in ("rmse", "mae", "rel")}
        where = "inside hull" if name.endswith("hull") else "all valid"
        print(f"| {label} | {where} | {m['rmse']:.4f} | {m['mae']:.4f} | {m['rel']:.4f} |")


def middlebury(args) -> None:
    state, model = (load_checkpoint_model(args.checkpoint) if args.checkpoint else (None, None))
    factor = model.config.factor if model is not None else args.factor
    folder = os.path.join(args.data, "middlebury_msgnet_setC", "depth_derived_pgm")
    print(f"Middlebury set C, standard protocol x{factor}, RMSE over all pixels, 8-bit units; "
          f"net scale {args.scale:.6g} m per unit\n")
    published = factor == 8
    print("| image | bicubic | net |" + (" MS-Net (published) |" if published else "")
          + "\n|---|---|---|" + ("---|" if published else ""))
    for name in ("cones", "teddy", "tsukuba", "venus"):
        gt = read_pgm(os.path.join(folder, f"{name}_2.pgm"))
        h, w = gt.shape
        lh, lw = math.ceil(h / factor), math.ceil(w / factor)
        # Scales from the sizes (lh / h, then h / lh), as depth-sim's Resampler: this reproduces EVALUATION.md.
        low = imresize(gt, (lh, lw))
        bic = imresize(low, (h, w))
        row = [f"{np.sqrt(np.mean((bic - gt) ** 2)):.2f}"]
        if model is not None:
            with torch.no_grad():
                x = torch.from_numpy((low * args.scale)[None, None].astype(np.float32))
                up = model(x)[0, 0].numpy().astype(np.float64) / args.scale
            # The net returns factor x (lh, lw), which covers the same extent as (h, w): resample it onto the
            # original grid (a no-op when factor divides the size).
            if up.shape != gt.shape:
                up = imresize(up, (h, w))
            row.append(f"{np.sqrt(np.mean((up - gt) ** 2)):.2f}")
        if model is None:
            row.append("")
        if published:
            row.append(f"{MSNET_X8[name]:.2f}")
        print(f"| {name} | " + " | ".join(row) + " |", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["tum", "sparse", "middlebury"])
    parser.add_argument("--datasets", nargs="*", default=["tum", "nyu", "sun"], help="sparse: which frames")
    parser.add_argument("--checkpoint")
    parser.add_argument("--data", default=DATA, help="shared/data")
    parser.add_argument("--p", type=float, default=0.05)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--factor", type=int, default=8, help="middlebury without a checkpoint")
    parser.add_argument("--scale", type=float, default=8.0 / 255.0, help="metres per 8-bit unit (middlebury)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    {"tum": tum, "sparse": sparse, "middlebury": middlebury}[args.which](args)


if __name__ == "__main__":
    main()
