"""Score trained checkpoints and the Java classical baselines on the same full validation frames, with the same
metric code (``metrics.evaluate``), and print / write a markdown table for the model card.

The baselines' outputs come from the Java tool (Java is the single source of the classical methods):

    java -cp <tools/depth-tools jar>:tools/depth-tools/target/lib/* io.depthstream.tools.shards.ShardBaselinesCommand \
        --data DIR --task sparse --out baselines-sparse.npz          # nearest-fill, morphological, inpaint
    java ... ShardBaselinesCommand --data DIR --task sr --factor 4 --out baselines-sr4.npz   # bicubic, ...

    /usr/bin/python3 -m depthstream_trainer.evaluate_shards --data DIR --checkpoint runs/fast/checkpoint.pt \
        --baselines baselines-sparse.npz --out fast-eval.md

Frames: every frame of the validation shards (the trainer's split), uncropped, in shard order, which is the
order the Java tool writes. For SR the low-res input is the trainer's ``valid_aware_pool`` of the depth; the
Java tool's own pooled input (``low_res`` in its npz) is checked against it, so both sides upscale the same map.
Metrics are over valid ground-truth pixels; PSNR peak and SSIM scale = the model's ``max_depth``.

SR only: ``--degradation bicubic`` feeds the antialiased-bicubic low-res input of the Middlebury protocol instead
(``degradation.make_low_res``); the Java baselines were made from the pooled input, so they are left out then, and
the row "bicubic (generator skip)" -- the generator's own hole-aware bicubic with a zero residual, which is
depth-core's bicubic -- is the baseline. That row is printed for pooled inputs too, next to Java's bicubic.
"""
import argparse
from typing import List, Optional

import numpy as np
import torch

from .blocks import valid_aware_pool
from .data import DepthShardDataset, read_manifest
from .degradation import make_low_res
from .evaluation import frame_batches, markdown, write_report
from .fast_interp import run_padded
from .metrics import evaluate
from .models import load_checkpoint_model
from .resample import ResizeMatrices
from .sr_gan import frame_scale, hole_aware_bicubic


def main(argv: Optional[List[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--baselines", help="npz from ShardBaselinesCommand (same shards, same task)")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--limit", type=int, default=0, help="first n validation frames only (0 = all)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--degradation", choices=["pool", "bicubic"], default="pool",
                        help="sr only: low-res input (pool = the Java baselines' input)")
    parser.add_argument("--out", help="write the markdown table (and .json next to it)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    state, model = load_checkpoint_model(args.checkpoint)
    kind, md = state["kind"], model.config.max_depth
    if kind == "focal":
        raise SystemExit("focal: use evaluate_focal (depth from focus and constant baselines on synthesised stacks)")
    manifest = read_manifest(args.data)
    val_fraction = state["train_config"]["val_fraction"]
    dataset = DepthShardDataset(args.data, "val", (manifest.height, manifest.width), 1, val_fraction,
                                require_sparse=kind == "fast")
    if kind == "sr" and args.degradation == "bicubic":
        args.baselines = None
    baselines = np.load(args.baselines) if args.baselines else None
    factor = model.config.factor if kind == "sr" else 0
    group_key, groups = ("pattern", dataset.patterns) if kind == "fast" else ("", [])

    matrices = ResizeMatrices()

    def model_input(b):
        if kind == "fast":
            return torch.cat([b["sparse"], b["mask"]], 1)
        if args.degradation == "bicubic":
            return make_low_res(b["depth"], factor, "bicubic", matrices=matrices)
        low, _ = valid_aware_pool(b["depth"], (b["depth"] > 0).float(), factor)
        if baselines is not None:
            java_low = torch.from_numpy(baselines["low_res"][b["index"].numpy()])[:, None]
            assert torch.allclose(low, java_low, rtol=1e-5, atol=1e-5), "Java and Python low-res inputs differ"
        return low

    rows = {}
    with torch.no_grad():
        predict = ((lambda b: run_padded(model, model_input(b))) if kind == "fast"
                   else (lambda b: model(model_input(b))))
        rows[f"{kind} model (step {state['step']})"] = evaluate(
            predict, frame_batches(dataset, args.batch, args.limit), md, group_key, groups)
    if kind == "sr":
        def skip_only(b):
            low = model_input(b)
            scale = frame_scale(low)
            bic, covered = hole_aware_bicubic(model.bicubic, low / scale, (low > 0).float())
            return torch.where(covered, torch.relu(bic * scale), torch.zeros_like(bic))
        with torch.no_grad():
            rows["bicubic (generator skip)"] = evaluate(skip_only, frame_batches(dataset, args.batch, args.limit), md)
    if baselines is not None:
        n = len(dataset) if not args.limit else min(args.limit, len(dataset))
        if baselines[[k for k in baselines.files if k != "low_res"][0]].shape[0] != len(dataset):
            raise SystemExit("baselines were computed on other frames (count differs)")
        for name in [k for k in baselines.files if k != "low_res"]:
            arr = baselines[name]
            rows[name] = evaluate(lambda b, arr=arr: torch.from_numpy(arr[b["index"].numpy()])[:, None],
                                  frame_batches(dataset, args.batch, n), md, group_key, groups)
    n = len(dataset) if not args.limit else min(args.limit, len(dataset))
    table = markdown(rows, list(groups))
    header = (f"{n} validation frames ({manifest.width}x{manifest.height}, uncropped) of `{args.data}`"
              + ((f", x{factor} valid-aware mean-pooled inputs" if args.degradation == "pool" else
                  f", x{factor} antialiased-bicubic (MATLAB imresize) inputs") if kind == "sr" else ", each with its own pattern")
              + f"; PSNR peak and SSIM scale {md:g} m.")
    write_report(args.out, header + "\n\n" + table + "\n", rows)
    return rows


if __name__ == "__main__":
    main()
