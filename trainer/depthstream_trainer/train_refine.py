"""Train a full-resolution refinement head (``refine_head``) on the frozen shipped fast net (issue 15, session 9).

The base net never changes, so its output is computed once: ``precompute`` redraws training frames like the real
sensors (``sensor_model.sensor_matched_batch``: Kinect-like indoor depth at random uniform densities, depth-gradient
semi-dense, road LiDAR less a random share), runs the base on the whole frame (its frame scale and receptive field
are global) and stores random crops of [sparse, mask, base output, target] as .npy. ``train`` then fits the head
alone on those crops, a fraction of a second per step on one CPU thread.

    /usr/bin/python3 -m depthstream_trainer.train_refine precompute --data /work/train-data-fast15/sparse \
        --base ../models/fast_interp_x4.onnx --out /work/train-data-refine15 --shards 7
    /usr/bin/python3 -m depthstream_trainer.train_refine train --crops /work/train-data-refine15 \
        --base ../models/fast_interp_x4.onnx --run /work/train-runs-refine15/a --steps 4000

Only the shards' training split is read (the validation split stays for ``evaluate_sensor``). Loss: MSE + l1 * L1
of the output after keep_samples, on the valid target pixels, in units of the frame's mean sample depth (so indoor
and road frames weigh alike, as in ``train_fast``)."""
import argparse
import dataclasses
import json
import os
import time
from typing import List, Optional

import numpy as np
import torch

from .config import SensorMatchConfig, to_dict
from .data import _load_shard, read_manifest, split_shards
from .flops import count_macs, count_params
from .model_card import DESCRIPTIONS, macs_input, sha256
from .onnx_export import export_onnx, from_onnx
from .refine_head import RefinedFastNet, RefineHead, RefineHeadConfig, load_head
from .sensor_model import sensor_matched_batch

ARRAYS = ("sparse", "mask", "base", "target", "scale")


def refine_sensor_config() -> SensorMatchConfig:
    """The fast path serves frames from 1 % of the pixels on (below, the density fallback's linear interpolation
    does), so the uniform draws start a little below that."""
    return SensorMatchConfig(density_low=0.008, density_high=0.25)


def frozen_base(path: str):
    """The shipped fast net from its ONNX file, keep_samples off (the head needs the prediction at the samples)."""
    base = RefinedFastNet(from_onnx(path)[1], RefineHead()).base
    return base.eval()


def precompute(args) -> None:
    manifest = read_manifest(args.data)
    train_shards, _ = split_shards(manifest.shards, 0.1)
    shards = [_load_shard(manifest, name) for name in train_shards[:args.shards]]
    frames = {k: np.concatenate([s[k] for s in shards]) for k in ("depth", "sparse", "scene", "pattern")}
    del shards
    base = frozen_base(args.base)
    sensor = refine_sensor_config()
    generator = torch.Generator().manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    count = len(frames["depth"]) * args.passes
    h, w = args.crop
    out = {k: [] for k in ARRAYS}
    started = time.time()
    for start in range(0, count, args.batch):
        index = rng.integers(len(frames["depth"]), size=min(args.batch, count - start))
        depth = torch.from_numpy(frames["depth"][index])[:, None]
        sparse = torch.from_numpy(frames["sparse"][index])[:, None]
        batch = {"depth": depth, "sparse": sparse, "mask": (sparse > 0).float(),
                 "scene": torch.from_numpy(frames["scene"][index].astype(np.int64)),
                 "pattern": torch.from_numpy(frames["pattern"][index].astype(np.int64))}
        batch = sensor_matched_batch(batch, manifest.patterns, sensor, generator, manifest.width)
        x = torch.cat([batch["sparse"], batch["mask"]], 1)
        with torch.no_grad():
            predicted = base(x)
        samples = batch["mask"].sum(dim=(1, 2, 3))
        scale = batch["sparse"].sum(dim=(1, 2, 3)) / samples.clamp(min=1)
        for i in range(len(index)):
            if samples[i] < 3:
                continue
            for _ in range(args.crops_per_frame):
                top, left = int(rng.integers(manifest.height - h + 1)), int(rng.integers(manifest.width - w + 1))
                window = (i, 0, slice(top, top + h), slice(left, left + w))
                if not (batch["depth"][window] > 0).any():
                    continue
                out["sparse"].append(batch["sparse"][window].numpy())
                out["mask"].append(batch["mask"][window].numpy().astype(np.uint8))
                out["base"].append(predicted[window].numpy())
                out["target"].append(batch["depth"][window].numpy())
                out["scale"].append(np.float32(scale[i]))
        if (start // args.batch) % 20 == 0:
            print(f"{start + len(index)}/{count} frames, {len(out['scale'])} crops, {time.time() - started:.0f} s",
                  flush=True)
    os.makedirs(args.out, exist_ok=True)
    for key, values in out.items():
        np.save(os.path.join(args.out, f"{key}.npy"), np.stack(values))
    with open(os.path.join(args.out, "precompute.json"), "w") as f:
        json.dump({"data": args.data, "shards": train_shards[:args.shards], "passes": args.passes,
                   "crop": list(args.crop), "seed": args.seed, "crops": len(out["scale"]),
                   "sensor": sensor.__dict__, "base": args.base}, f, indent=1)
    print(f"wrote {len(out['scale'])} crops to {args.out} in {time.time() - started:.0f} s")


def refine_loss(out: torch.Tensor, target: torch.Tensor, scale: torch.Tensor, l1: float,
                base: Optional[torch.Tensor] = None) -> torch.Tensor:
    """MSE + l1 * L1 over the valid target pixels, errors in units of each crop's frame scale ([N]). With ``base``
    (the base net's output, samples kept) each crop's term is divided by the base's own on that crop, so the loss
    is the mean relative change: without it the crops where the base is far off (semi-dense holes, road frames,
    sparse draws) outweigh the dense indoor ones a thousandfold, and the head learns little there."""
    valid = (target > 0).float()
    pixels = valid.sum(dim=(1, 2, 3)).clamp(min=1)

    def per_crop(prediction):
        error = (prediction - target) / scale.view(-1, 1, 1, 1) * valid
        return ((error ** 2).sum(dim=(1, 2, 3)) + l1 * error.abs().sum(dim=(1, 2, 3))) / pixels

    if base is None:
        return (per_crop(out) * pixels).sum() / pixels.sum()
    return (per_crop(out) / per_crop(base).clamp(min=1e-8)).mean()


def train(args) -> None:
    crops = {k: np.load(os.path.join(args.crops, f"{k}.npy"), mmap_mode="r") for k in ARRAYS}
    config = RefineHeadConfig(channels=args.channels, windows=tuple(args.windows), kernel=args.kernel,
                              local_range=bool(args.local_range), gated=bool(args.gated))
    head = RefineHead(config)
    optimizer = torch.optim.Adam(head.parameters(), lr=args.lr)
    os.makedirs(args.run, exist_ok=True)
    checkpoint = os.path.join(args.run, "checkpoint.pt")
    step = 0
    if args.resume and os.path.exists(checkpoint):
        state = torch.load(checkpoint)
        head.load_state_dict(state["head"])
        optimizer.load_state_dict(state["optimizer"])
        step = state["step"]
    started, running = time.time(), []
    while step < args.steps:
        rng = np.random.default_rng([args.seed, step])
        index = np.sort(rng.choice(len(crops["scale"]), args.batch, replace=False))
        sparse, base, target = (torch.from_numpy(np.asarray(crops[k][index]))[:, None]
                                for k in ("sparse", "base", "target"))
        mask = torch.from_numpy(np.asarray(crops["mask"][index]).astype(np.float32))[:, None]
        if rng.integers(2):     # horizontal flip, the head has no preferred side
            sparse, mask, base, target = (t.flip(-1) for t in (sparse, mask, base, target))
        out = torch.where(mask > 0.5, sparse, head(sparse, mask, base))
        kept_base = torch.where(mask > 0.5, sparse, base) if args.balance else None
        loss = refine_loss(out, target, torch.from_numpy(np.asarray(crops["scale"][index])), args.l1, kept_base)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        running.append(float(loss))
        if step % 100 == 0:
            print(f"step {step} loss {np.mean(running):.5f} {time.time() - started:.0f} s", flush=True)
            running = []
        if step % args.checkpoint_every == 0 or step == args.steps:
            state = {"head": head.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
                     "config": dataclasses.asdict(config), "args": {k: v for k, v in vars(args).items() if k != "func"}}
            torch.save(state, checkpoint + ".tmp")
            os.replace(checkpoint + ".tmp", checkpoint)
            torch.save(state, os.path.join(args.run, f"step-{step:05d}.pt"))


def load_refined(base_onnx: str, head_checkpoint: str) -> RefinedFastNet:
    """The shipped base and a trained head (a ``train`` checkpoint) as one model, eval mode."""
    return RefinedFastNet(from_onnx(base_onnx)[1], load_head(head_checkpoint)).eval()


def write_refined_card(onnx_path: str, model: RefinedFastNet, notes: str) -> str:
    """The model card of an exported base + head: the base's card table and configuration plus the head's, and the
    training / selection notes (markdown, from ``--notes``)."""
    summary, inputs, outputs = DESCRIPTIONS["fast"]
    name = os.path.splitext(os.path.basename(onnx_path))[0]
    macs = count_macs(model, *macs_input("fast", model))["total"]
    head_macs = count_macs(model.head.out, torch.zeros(1, model.head.config.channels, 480, 640))["total"] + \
        count_macs(model.head.hidden, torch.zeros(1, model.head.config.features, 480, 640))["total"]
    lines = [f"# {name}", "",
             "The shipped `fast_interp_x4` (its weights unchanged) with a learned full-resolution refinement head "
             "(`depthstream_trainer.refine_head`): out = D + max(D, 1 mm) * r, r from two 3x3 convolutions over "
             "features relative to the base output D (mask, relative residual at the samples, its box-spread mean "
             "and support, local range of D). " + summary, "",
             "| | |", "|---|---|",
             f"| file | {name}.onnx (ONNX opset 17) |",
             f"| sha256 | `{sha256(onnx_path)}` |",
             f"| input | {inputs} |", f"| output | {outputs} |",
             f"| input multiple | {model.multiple} (ONNX metadata_props `depthstream.input_multiple`) |",
             f"| parameters | {count_params(model):,} (head {count_params(model.head):,}) |",
             f"| MACs (output 640x480) | {macs / 1e9:.3f} G (head {head_macs / 1e9:.3f} G) |",
             f"| test I/O | {name}.io.json (raw little-endian float32 + shapes; tolerance 1e-4) |",
             "", "MACs count Conv, ConvTranspose, Linear and LSTM (hook-based counter, "
             "`depthstream_trainer.flops`); element-wise layers are left out.",
             "", "## Configuration", "", "```json",
             json.dumps({"base": to_dict(model.base.config) | {"keep_samples": model.keep_samples},
                         "head": dataclasses.asdict(model.head.config)}, indent=1), "```", "",
             notes.strip(), ""]
    path = os.path.splitext(onnx_path)[0] + ".md"
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def export(args) -> None:
    model = load_refined(args.base, args.head)
    path = os.path.join(args.models_dir, f"{args.name}.onnx")
    export_onnx(model, "fast", path)
    notes = open(args.notes).read() if args.notes else "## Training\n\nNone recorded."
    print(write_refined_card(path, model, notes))


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(required=True)
    pre = commands.add_parser("precompute", help="base outputs for sensor-matched training crops")
    pre.add_argument("--data", required=True, help="sparse shard directory (its training split is read)")
    pre.add_argument("--base", required=True, help="the frozen fast net (.onnx with its card)")
    pre.add_argument("--out", required=True)
    pre.add_argument("--shards", type=int, default=7, help="first N training shards")
    pre.add_argument("--passes", type=int, default=2, help="sensor-matched draws per frame")
    pre.add_argument("--crops-per-frame", type=int, default=2)
    pre.add_argument("--crop", type=int, nargs=2, default=(96, 128), metavar=("H", "W"))
    pre.add_argument("--batch", type=int, default=8)
    pre.add_argument("--seed", type=int, default=15)
    pre.set_defaults(func=precompute)
    fit = commands.add_parser("train", help="fit the head on precomputed crops")
    fit.add_argument("--crops", required=True)
    fit.add_argument("--run", required=True, help="run directory (checkpoint.pt, step-N.pt)")
    fit.add_argument("--steps", type=int, default=4000)
    fit.add_argument("--batch", type=int, default=16)
    fit.add_argument("--lr", type=float, default=2e-3)
    fit.add_argument("--l1", type=float, default=0.1)
    fit.add_argument("--channels", type=int, default=RefineHeadConfig.channels)
    fit.add_argument("--windows", type=int, nargs="+", default=list(RefineHeadConfig.windows))
    fit.add_argument("--kernel", type=int, choices=[1, 3], default=RefineHeadConfig.kernel)
    fit.add_argument("--local-range", type=int, choices=[0, 1], default=1)
    fit.add_argument("--balance", type=int, choices=[0, 1], default=0,
                     help="1: each crop's loss relative to the base net's on it (refine_loss)")
    fit.add_argument("--gated", type=int, choices=[0, 1], default=0,
                     help="1: no convolutions, a sigmoid-gated sum of the spread residuals (cheaper in ONNX Runtime)")
    fit.add_argument("--checkpoint-every", type=int, default=250)
    fit.add_argument("--seed", type=int, default=0)
    fit.add_argument("--resume", action="store_true")
    fit.set_defaults(func=train)
    out = commands.add_parser("export", help="the base and a trained head as one ONNX graph with its card")
    out.add_argument("--base", required=True)
    out.add_argument("--head", required=True, help="a train checkpoint (checkpoint.pt or step-N.pt)")
    out.add_argument("--name", required=True, help="file stem in --models-dir")
    out.add_argument("--models-dir", required=True)
    out.add_argument("--notes", help="markdown appended to the card (training, selection)")
    out.set_defaults(func=export)
    for command in (pre, fit, out):
        command.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    args.func(args)


if __name__ == "__main__":
    main()
