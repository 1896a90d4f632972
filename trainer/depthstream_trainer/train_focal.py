"""Train the focal-stack depth net on stacks synthesised from dense RGB-D shards (layered blur,
``focal_synthesis``).

    /usr/bin/python3 -m depthstream_trainer.train_focal --data shards/indoor --out runs/focal --scenes indoor
    /usr/bin/python3 -m depthstream_trainer.train_focal --smoke --out runs/smoke-focal

Per training batch a stack length T is drawn from 1..--max-stack; per sample T focus distances are drawn
uniformly over the crop's valid depth range and sorted near to far (the order the network is given stacks at
inference). Validation uses the stack lengths of --val-stacks (each clipped to --max-stack) with evenly spaced
focus distances and scores, on the same stacks, the classical depth from focus (``depth_from_focus``) and the
constant median training depth, so every validation line carries its baselines. Loss: masked MSE on
depth / max_depth (research: MSE), plus --l1 times the masked L1 on the same scale (MAE is what depth from focus
wins on textured pixels).

--init-onnx starts a fresh run from the weights of a focal ONNX file this trainer exported (the shipped model has
no checkpoint); parameters the file lacks (a new --focus-head) keep their initialisation."""
import argparse
import os
from typing import List, Optional

import numpy as np
import torch

from .config import FocalStackConfig, TrainConfig, to_dict
from .data import DepthShardDataset, to_device
from .depth_from_focus import constant_depth, depth_from_focus, training_median_depth
from .focal_stack import FocalStackNet
from .focal_synthesis import BlurModel, add_stacks
from .losses import masked_l1, masked_mse
from .metrics import evaluate
from .model_card import sha256
from .onnx_export import load_onnx_weights
from .training import (TrainingRun, add_common_arguments, finish, load_checkpoint, restore, setup,
                       train_config_from_args)


def parse_args(argv: Optional[List[str]]):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser, TrainConfig(out="runs/focal", batch=4, crop=(240, 320), lr=1e-4))
    d, b = FocalStackConfig(), BlurModel()
    parser.add_argument("--widths", type=int, nargs="+", default=list(d.widths))
    parser.add_argument("--max-depth", type=float, default=d.max_depth, help="metres")
    parser.add_argument("--sharpness", action="store_true",
                        help="5th input channel: each image's log focus measure relative to the stack (in-graph)")
    parser.add_argument("--output", choices=["absolute", "relative"], default=d.output,
                        help="absolute: max_depth * out; relative: mean focus distance * exp(out)")
    parser.add_argument("--focus-head", type=int, default=d.focus_head,
                        help="width of the full-resolution head fed with classical depth from focus (0 = none; "
                             "needs --sharpness and --output relative)")
    parser.add_argument("--l1", type=float, default=0.0, help="weight of the masked L1 term (depth / max_depth)")
    parser.add_argument("--init-onnx", help="start from this focal ONNX file's weights (same configuration; "
                        "parameters it lacks keep their initialisation); ignored with --resume")
    parser.add_argument("--range-jitter", type=float, default=0.0,
                        help="training stacks: for half the samples widen the focus sweep to near / (1 + j u) .. "
                             "far * (1 + j u) (focal_synthesis.add_stacks); 0 = the crop's depth range")
    parser.add_argument("--lr-drop", type=int, default=0,
                        help="from this step on, train at --lr / 3 (0 = never)")
    parser.add_argument("--max-stack", type=int, default=5, help="longest training stack T")
    parser.add_argument("--layers", type=int, default=b.layers, help="depth layers K of the synthesis (<= 256)")
    parser.add_argument("--blur-per-metre", type=float, default=b.blur_per_metre, help="sigma px per metre")
    parser.add_argument("--max-sigma", type=float, default=b.max_sigma, help="pixels")
    parser.add_argument("--val-stacks", type=int, nargs="+", default=[3, 5],
                        help="validation stack lengths T (clipped to --max-stack)")
    parser.add_argument("--dff-window", type=int, default=9, help="depth-from-focus SML window, pixels (odd)")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    if not 1 <= args.layers <= 256:
        raise SystemExit(f"--layers must be in 1..256, got {args.layers}")
    train = train_config_from_args(args, sparse=False, smoke_crop=(32, 48))
    model_config = FocalStackConfig(tuple(args.widths), args.max_depth, args.sharpness, args.output, args.focus_head)
    blur = BlurModel(args.layers, args.blur_per_metre, args.max_sigma)
    max_stack = 2 if args.smoke else args.max_stack
    device = setup(train, args.device)
    model = FocalStackNet(model_config).to(device)
    datasets = {split: DepthShardDataset(train.data, split, train.crop, model.multiple, train.val_fraction,
                                         train.scenes, (), train.seed) for split in ("train", "val")}
    optimizer = torch.optim.Adam(model.parameters(), lr=train.lr)
    extra = {"mse": 1.0, "l1": args.l1, "range_jitter": args.range_jitter, "lr_drop": args.lr_drop,
             "synthesis": to_dict(blur), "max_stack": max_stack}
    md = model_config.max_depth
    median = training_median_depth(datasets["train"].arrays["depth"])
    # The output is linear (x max_depth) and starts near 0 m; 500 steps of the first run (focal-v2-a) went into
    # moving the final bias towards typical depths (net worse than the constant median then). Starting the bias
    # at the training median puts the untrained net at the constant baseline, so training works on the rest.
    with torch.no_grad():
        # relative output: bias 0 = the stack's mean focus distance, already a better start than the median
        model.out.bias.fill_(median / md if model_config.output == "absolute" else 0.0)
    if args.init_onnx and not args.resume:
        missing = load_onnx_weights(model, args.init_onnx, allow_missing=True)
        extra["init_onnx"] = {"file": os.path.basename(args.init_onnx), "sha256": sha256(args.init_onnx),
                              "initialised": missing}
    state = load_checkpoint(train.out, to_dict(model_config), device) if args.resume else None
    start, history = 0, []
    if state:
        restore(state, {"model": model}, {"model": optimizer})
        start, history = state["step"], state["history"]
        for group in optimizer.param_groups:    # --lr applies on resume too (lower it for the last stretch)
            group["lr"] = train.lr
    val_stacks = sorted({min(t, max_stack) for t in args.val_stacks})
    extra["val_stacks"], extra["dff_window"], extra["train_median_depth"] = val_stacks, args.dff_window, median

    def step_fn(step: int) -> dict:
        model.train()
        if args.lr_drop and step == max(args.lr_drop, start):
            for group in optimizer.param_groups:
                group["lr"] = train.lr / 3
        rng = np.random.default_rng([train.seed, step, 1])
        batch = add_stacks(to_device(datasets["train"].batch(step, train.batch), device),
                           int(rng.integers(1, max_stack + 1)), blur, md, rng, args.range_jitter)
        pred = model(batch["stack"], batch["focus"])
        valid = (batch["depth"] > 0).float()
        mse = masked_mse(pred / md, batch["depth"] / md, valid)
        l1 = masked_l1(pred / md, batch["depth"] / md, valid)
        loss = mse + args.l1 * l1
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return {"mse": mse.item(), "l1": l1.item(), "T": float(batch["focus"].shape[1])}

    def validate() -> dict:
        """Net, depth from focus and the constant on the same validation stacks; keys name[@T<t>]."""
        model.eval()
        summary = {}
        methods = {"": lambda b: model(b["stack"], b["focus"]),
                   "dff_": lambda b: depth_from_focus(b["stack"], b["focus"], args.dff_window),
                   "const_": lambda b: constant_depth(b["depth"], median)}
        for t in val_stacks:
            batches = [add_stacks(to_device(b, device), t, blur, md, None)
                       for b in datasets["val"].validation_batches(train.batch, train.val_batches)]
            for prefix, predict in methods.items():
                if prefix == "const_" and t != val_stacks[0]:
                    continue   # does not look at the stack
                metrics = evaluate(predict, batches, md)
                keys = ("rmse", "mae", "rel", "ssim", "psnr") if not prefix else ("rmse", "mae", "rel")
                suffix = "" if prefix == "const_" else f"@T{t}"
                summary.update({f"{prefix}{k}{suffix}": metrics[k] for k in keys})
        return summary

    run = TrainingRun("focal", {"model": model}, {"model": optimizer}, model_config, train, extra)
    history = finish(run, start, history, step_fn, validate, args.export, args.models_dir)
    return {"history": history, "out": train.out}


if __name__ == "__main__":
    main()
