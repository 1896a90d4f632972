"""Score a focal-stack checkpoint, classical depth from focus and two constant predictors on the same
synthesised validation stacks, with the same metric code (``metrics.evaluate``), and write the markdown table
the model card shows (``export --comparison``).

    /usr/bin/python3 -m depthstream_trainer.evaluate_focal --data /work/train-data/sparse \
        --checkpoint /work/train-runs/focal-v2/checkpoint.pt --out /work/train-eval/focal-v2.md

Frames: the checkpoint's validation split and scenes (indoor), uncropped (320x240) unless --crop is given, or
the trainer's centre crops with ``--crop H W``. Stacks: for each T of --stacks, T focus distances evenly spaced
inside the frame's valid depth range (``focal_synthesis.add_stacks`` with rng None, as the trainer validates),
synthesised with the checkpoint's blur model (256 layers). Rows:

- the net;
- depth from focus (SML window from the checkpoint, Gaussian 3-point interpolation; ``depth_from_focus``);
- constant: the median valid depth of the training frames (the best constant in L1, independent of the input);
- mean focus distance of the stack (a constant per frame that does see the stack's focus distances).

The synthetic focus distances are spread over each frame's own depth range, which tells every method that
range; this favours depth from focus and the mean-focus constant as much as the net."""
import argparse
from typing import List, Optional

import torch

from .data import DepthShardDataset, read_manifest, to_device
from .depth_from_focus import constant_depth, depth_from_focus
from .evaluation import COLUMNS, frame_batches, write_report
from .focal_synthesis import BlurModel, add_stacks
from .metrics import evaluate
from .models import load_checkpoint_model


def main(argv: Optional[List[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--stacks", type=int, nargs="+", default=[1, 3, 5], help="stack lengths T")
    parser.add_argument("--crop", type=int, nargs=2, metavar=("H", "W"), help="centre crops (default: full frames)")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--limit", type=int, default=0, help="first n validation frames only (0 = all)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", help="write the markdown table (and .json next to it)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    state, model = load_checkpoint_model(args.checkpoint)
    if state["kind"] != "focal":
        raise SystemExit(f"{args.checkpoint} is a {state['kind']} checkpoint, not focal")
    extra, train = state["extra"], state["train_config"]
    blur = BlurModel(**extra["synthesis"])
    window = int(extra.get("dff_window", 9))
    median = extra.get("train_median_depth")
    md = model.config.max_depth
    manifest = read_manifest(args.data)
    crop = tuple(args.crop) if args.crop else (manifest.height, manifest.width)
    dataset = DepthShardDataset(args.data, "val", crop, 1, train["val_fraction"], train["scenes"])
    n = len(dataset) if not args.limit else min(args.limit, len(dataset))
    device = torch.device("cpu")
    rows = {}
    for t in args.stacks:
        batches = [add_stacks(to_device(b, device), t, blur, md, None) for b in frame_batches(dataset, args.batch, n)]
        rows[f"focal net, T = {t} (step {state['step']})"] = evaluate(
            lambda b: model(b["stack"], b["focus"]), batches, md)
        rows[f"depth from focus, T = {t}" + (" (= the focus distance)" if t == 1 else "")] = evaluate(
            lambda b: depth_from_focus(b["stack"], b["focus"], window), batches, md)
        if t == max(args.stacks):
            rows[f"mean focus distance, T = {t}"] = evaluate(
                lambda b: b["focus"].mean(1)[:, None, None, None].expand_as(b["depth"]), batches, md)
            if median is not None:
                rows[f"constant {median:.3g} m (training median)"] = evaluate(
                    lambda b: constant_depth(b["depth"], median), batches, md)
    lines = ["| method | " + " | ".join(COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 1)]
    lines += ["| " + " | ".join([name] + [f"{m[c]:.4g}" for c in COLUMNS]) + " |" for name, m in rows.items()]
    header = (f"{n} validation frames (scenes {train['scenes'] or 'all'}, {crop[1]}x{crop[0]}"
              f"{' centre crops' if args.crop else ', uncropped'}) of `{args.data}`; stacks synthesised with "
              f"{blur.layers} layers, focus distances evenly spaced inside each frame's depth range; depth from "
              f"focus: SML window {window} px, Gaussian 3-point interpolation; RMSE / MAE in metres, PSNR peak "
              f"and SSIM scale {md:g} m.")
    write_report(args.out, header + "\n\n" + "\n".join(lines) + "\n", rows)
    return rows


if __name__ == "__main__":
    main()
