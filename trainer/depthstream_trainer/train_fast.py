"""Train the fast sparse-to-dense interpolation net on sparse shards from the Java exporter.

    /usr/bin/python3 -m depthstream_trainer.train_fast --data shards/sparse --out runs/fast --patterns uniform
    /usr/bin/python3 -m depthstream_trainer.train_fast --smoke --out runs/smoke-fast

Loss: masked MSE + l1 * masked L1 + alpha * perceptual (VGG-16 conv3_1 with --vgg-weights, otherwise the
gradient + SSIM substitute), all on depth / (mean valid sample depth of the frame), the scale the v2 net works at,
so indoor frames (0.5-10 m) weigh as much as road frames (to 80 m). MSE alone pulls every uncertain pixel to the
mean (linear-like) answer; the L1 term rewards the exact value on the many small-error pixels (issue 15: MAE).

--sensor-match redraws each training batch's samples to look like the real sensors (``sensor_model``): Kinect
quantisation and noise on indoor frames, random densities, depth-gradient semi-dense samples, LiDAR hold-out.
--init-onnx starts from the weights of an exported model (the shipped one has no checkpoint)."""
import argparse
import os
from typing import List, Optional

import torch

from .config import FastInterpConfig, SensorMatchConfig, TrainConfig, to_dict
from .data import DepthShardDataset, to_device
from .fast_interp import FastInterpNet, frame_scale, run_padded
from .losses import fill_holes, make_perceptual_loss, masked_l1, masked_mse
from .onnx_export import load_onnx_weights
from .sensor_model import sensor_matched_batch
from .metrics import evaluate
from .training import (TrainingRun, add_common_arguments, finish, load_checkpoint, restore, setup,
                       train_config_from_args)


def parse_args(argv: Optional[List[str]]):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser, TrainConfig(out="runs/fast", lr=1e-3))
    defaults = FastInterpConfig()
    parser.add_argument("--patterns", nargs="*", default=[],
                        help="sampling patterns to train on, by kind (uniform) or full name (uniform:p=0.1)")
    parser.add_argument("--downscale", type=int, default=defaults.downscale, help="1 = full-resolution variant")
    parser.add_argument("--width", type=int, default=defaults.width)
    parser.add_argument("--activation", default=defaults.activation)
    parser.add_argument("--max-depth", type=float, default=defaults.max_depth,
                        help="metres; PSNR / SSIM peak of the validation metrics only")
    parser.add_argument("--prefill-levels", type=int, default=defaults.prefill_levels)
    parser.add_argument("--keep-samples", type=int, choices=[0, 1], default=int(defaults.keep_samples),
                        help="1: measured samples replace the prediction at full resolution")
    parser.add_argument("--alpha", type=float, default=0.1, help="weight of the perceptual term")
    parser.add_argument("--l1", type=float, default=0.0, help="weight of the masked L1 term")
    parser.add_argument("--sensor-match", type=int, choices=[0, 1], default=0,
                        help="1: redraw training samples per batch like the real sensors (sensor_model)")
    parser.add_argument("--shadows", type=float, default=0.0,
                        help="with --sensor-match: share of Kinect-like frames given projector shadows")
    parser.add_argument("--init-onnx", default="",
                        help="start from this exported model's weights (same configuration; ignored on --resume)")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    train = train_config_from_args(args, sparse=True)
    model_config = FastInterpConfig(args.downscale, args.width, args.activation, args.max_depth,
                                    args.prefill_levels, bool(args.keep_samples))
    device = setup(train, args.device)
    model = FastInterpNet(model_config).to(device)
    datasets = {split: DepthShardDataset(train.data, split, train.crop, model.multiple, train.val_fraction,
                                         train.scenes, train.patterns, train.seed, require_sparse=True)
                for split in ("train", "val")}
    optimizer = torch.optim.Adam(model.parameters(), lr=train.lr)
    # The losses see depth / frame scale (about 0.2-3), so the perceptual term's range is 1.
    perceptual = make_perceptual_loss(train.vgg_weights, 1.0).to(device)
    sensor = SensorMatchConfig(shadow_fraction=args.shadows) if args.sensor_match else None
    extra = {"mse": 1.0, "l1": args.l1, "alpha": args.alpha, "perceptual": perceptual.name,
             "normalisation": "frame_mean", "sensor_match": to_dict(sensor) if sensor else None,
             "init_onnx": os.path.basename(args.init_onnx) or None}
    state = load_checkpoint(train.out, to_dict(model_config), device) if args.resume else None
    start, history = 0, []
    if state:
        restore(state, {"model": model}, {"model": optimizer})
        for group in optimizer.param_groups:    # --lr applies on resume too (lower it for the last stretch)
            group["lr"] = train.lr
        start, history = state["step"], state["history"]
    elif args.init_onnx:
        load_onnx_weights(model, args.init_onnx)
    md = model_config.max_depth

    def step_fn(step: int) -> dict:
        model.train()
        batch = datasets["train"].batch(step, train.batch)
        if sensor:
            generator = torch.Generator().manual_seed(train.seed * 1_000_003 + step)
            batch = sensor_matched_batch(batch, datasets["train"].patterns, sensor, generator,
                                         datasets["train"].manifest.width)
        batch = to_device(batch, device)
        x = torch.cat([batch["sparse"], batch["mask"]], 1)
        pred = model(x)
        scale = frame_scale(x)
        valid = (batch["depth"] > 0).float()
        target = batch["depth"] / scale
        mse = masked_mse(pred / scale, target, valid)
        l1 = masked_l1(pred / scale, target, valid)
        perc = perceptual(pred / scale, fill_holes(target, pred / scale, valid))
        loss = mse + args.l1 * l1 + args.alpha * perc
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return {"loss": loss.item(), "mse": mse.item(), "l1": l1.item(), "perc": perc.item()}

    def validate() -> dict:
        model.eval()
        batches = (to_device(b, device) for b in datasets["val"].validation_batches(train.batch, train.val_batches))
        return evaluate(lambda b: run_padded(model, torch.cat([b["sparse"], b["mask"]], 1)), batches, md,
                        "pattern", datasets["val"].patterns)

    run = TrainingRun("fast", {"model": model}, {"model": optimizer}, model_config, train, extra)
    history = finish(run, start, history, step_fn, validate, args.export, args.models_dir)
    return {"history": history, "out": train.out}


if __name__ == "__main__":
    main()
