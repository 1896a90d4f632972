"""Score fast-net checkpoints or exported models on the sensor-matched synthetic validation conditions
(``sensor_evaluation``) against griddata linear and nearest fill, on the shards' validation split only.

    /usr/bin/python3 -m depthstream_trainer.evaluate_sensor --data shards/sparse \
        --model shipped=../models/fast_interp_x4.onnx --model new=runs/fast/checkpoint.pt --out sensor.md
"""
import argparse
import os
from typing import List, Optional

import torch

from .data import DepthShardDataset
from .evaluation import write_report
from .onnx_export import from_onnx
from .models import load_checkpoint_model
from .refine_head import RefinedFastNet, load_head
from .sensor_evaluation import DENSITIES, condition_rows, export_kinect_frames, keep_evaluated_frames, markdown


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="sparse shard directory (its validation split is used)")
    parser.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                        help="a checkpoint (.pt), an exported fast model (.onnx with its card) or a refinement head "
                             "checkpoint of train_refine (on --refine-base), repeatable")
    parser.add_argument("--refine-base", default=os.path.join(os.path.dirname(__file__), "..", "..", "models",
                                                              "fast_interp_x4.onnx"),
                        help="the frozen base net of refinement-head checkpoints")
    parser.add_argument("--frames", type=int, default=16, help="indoor and road validation frames each")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--densities", type=lambda v: [float(x) for x in v.split(",")], default=DENSITIES,
                        help="comma-separated shares of the pixels for the uniform Kinect conditions (default: the "
                             "issue's sweep, 30 points of 640x480 ... 10 %%); a finer sweep places the fast path's "
                             "density fallback threshold")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=None, help="markdown report (and .json next to it)")
    parser.add_argument("--export-kinect", default=None, metavar="DIR",
                        help="instead of scoring, write the Kinect-like indoor validation frames as 16-bit PNGs of "
                             "millimetres for the Java evaluator (eval --dir DIR --format MILLIMETRES)")
    args = parser.parse_args(argv)
    if not args.model and args.export_kinect is None:
        parser.error("--model is required (or --export-kinect DIR)")
    torch.set_num_threads(args.threads)
    models = {}
    for spec in args.model:
        name, _, path = spec.partition("=")
        if path.endswith(".onnx"):
            models[name] = from_onnx(path)[1].eval()
        elif "head" in torch.load(path, map_location="cpu"):
            models[name] = RefinedFastNet(from_onnx(args.refine_base)[1], load_head(path)).eval()
        else:
            models[name] = load_checkpoint_model(path)[1]
    dataset = DepthShardDataset(args.data, "val", (8, 8), 8, require_sparse=True)
    keep_evaluated_frames(dataset, args.frames)
    if args.export_kinect is not None:
        written = export_kinect_frames(dataset, args.frames, args.seed, args.export_kinect)
        print(f"wrote {len(written)} Kinect-like validation frames to {args.export_kinect}")
        return
    rows = condition_rows(models, dataset, args.frames, args.seed, args.densities)
    flat = {f"{c} / {m}": v for c, ms in rows.items() for m, v in ms.items()}
    write_report(args.out, markdown(rows), flat)


if __name__ == "__main__":
    main()
