"""Markdown model card next to each exported ONNX file: architecture, parameters, MACs at 640 x 480 from the
hook-based counter, training data and steps, loss weights, validation metrics and the file's sha256."""
import hashlib
import json
import os
from typing import Optional, Tuple

import torch
from torch import nn

from .config import to_dict
from .disparity_scenes import DISPARITY_SCENES
from .flops import count_macs, count_params

DESCRIPTIONS = {
    "fast": ("Fast depth interpolation (v2): one AveragePool does the valid-aware downscale of the sparse map; "
             "depth is divided by the frame's mean sample depth; a push-pull fill of the low-resolution map is "
             "the dense first guess; residual / downsampling blocks at low resolution predict a correction of "
             "every sub-pixel, added to the bilinearly upsampled fill, scaled back to metres at low resolution and "
             "pixel-shuffled to full size; measured samples are kept as they are (when keep_samples).",
             "sparse [N, 2, H, W]: channel 0 sparse depth in metres (0 = none), channel 1 validity mask (1/0); "
             "H and W multiples of the metadata value `depthstream.input_multiple` (2 * downscale): pad "
             "bottom/right with zeros (= no measurement) and crop the output",
             "depth [N, 1, H, W] metres (linear, not clamped)"),
    # the fast net exported in block layout (``export --block-io``): same summary, other tensors
    "fast_blocks": (None,
                    "sparse_blocks [N, 2 b^2, H / b, W / b] with b = the metadata value `depthstream.block_size` (the "
                    "downscale): pixel_unshuffle by b of the [depth in metres (0 = none), validity mask (1/0)] "
                    "frame, H and W multiples of `depthstream.input_multiple` (pad bottom/right with zeros = no "
                    "measurement); channel c b^2 + i b + j at (y, x) is pixel (b y + i, b x + j) of channel c",
                    "depth_blocks [N, b^2, H / b, W / b]: the pixel_unshuffle of the depth [N, 1, H, W] in metres "
                    "(linear, not clamped); the runner pixel-shuffles it and crops"),
    "sr": ("Depth super-resolution generator: output = hole-aware bicubic upsampling of the input (Keys a = -0.5, "
           "as depth-sim's Resampler) + a tanh-bounded residual from residual blocks at low resolution and "
           "sub-pixel upsampling, on depth normalised per frame by the input's maximum to [-1, 1] "
           "(scale-equivariant: any depth unit works).",
           "low_res [N, 1, h, w] depth, any unit (the graph is scale-equivariant; 0 = hole)",
           "depth [N, 1, h * factor, w * factor] in the input's unit, >= 0; 0 where less than half of the "
           "bicubic kernel mass lies on measurements (holes stay holes)"),
    "focal": ("Focal-stack depth: per-image conv encoder with the focus distance as a 4th channel (and, with "
              "`sharpness`, the image's log focus measure relative to the stack as a 5th, computed in the graph), "
              "LayerNorm, per-pixel LSTM over the stack, mirrored decoder, LayerNorm, final conv: linear depth "
              "(`output` absolute) or the stack's mean focus distance x exp(conv) (`output` relative).",
              "stack [N, T, 3, H, W] RGB in [0, 1], focus [N, T] focus distances in metres, near to far; T >= 1",
              "depth [N, 1, H, W] metres"),
}


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def macs_input(kind: str, model: nn.Module, stack: int = 1) -> Tuple[torch.Tensor, ...]:
    """Input whose output is 640 x 480 (the size the speed budgets are stated for)."""
    if kind == "fast":
        return (torch.zeros(1, 2, 480, 640),)
    if kind == "sr":
        f = model.config.factor
        return (torch.zeros(1, 1, 480 // f, 640 // f),)
    return torch.zeros(1, stack, 3, 480, 640), torch.ones(1, stack)


def _macs_lines(model: nn.Module, kind: str):
    stacks = (1, 3, 5) if kind == "focal" else (1,)
    lines = []
    for t in stacks:
        macs = count_macs(model, *macs_input(kind, model, t))["total"]
        label = f"output 640x480" + (f", T = {t}" if kind == "focal" else "")
        lines.append(f"| MACs ({label}) | {macs / 1e9:.3f} G |")
    return lines


def write_model_card(onnx_path: str, model: nn.Module, kind: str, training: Optional[dict],
                     block_io: bool = False) -> str:
    summary, inputs, outputs = DESCRIPTIONS[kind]
    if block_io:
        inputs, outputs = DESCRIPTIONS["fast_blocks"][1:]
    name = os.path.splitext(os.path.basename(onnx_path))[0]
    lines = [f"# {name}", "", summary, "",
             "| | |", "|---|---|",
             f"| file | {name}.onnx (ONNX opset 17) |",
             f"| sha256 | `{sha256(onnx_path)}` |",
             f"| input | {inputs} |", f"| output | {outputs} |",
             *([f"| input multiple | {model.multiple} (ONNX metadata_props `depthstream.input_multiple`) |"]
               if kind == "fast" else []),
             *([f"| block size | {model.config.downscale} (ONNX metadata_props `depthstream.block_size`) |"]
               if block_io else []),
             f"| parameters | {count_params(model):,} |",
             *_macs_lines(model, kind),
             f"| test I/O | {name}.io.json (raw little-endian float32 + shapes; tolerance 1e-4) |",
             "", "MACs count Conv, ConvTranspose, Linear and LSTM (hook-based counter, "
             "`depthstream_trainer.flops`); element-wise layers are left out and BatchNorm folds at export.",
             "", "## Configuration", "", "```json", json.dumps(to_dict(model.config), indent=1), "```", ""]
    if training and training.get("speed"):
        lines += ["## Speed", "", training["speed"].strip(), ""]
    if training and training.get("card_sections"):
        lines += [training["card_sections"].strip(), ""]    # a re-export of the same weights: as they were
    elif training is None or "train_config" not in training:
        lines += ["## Training", "", "None: random weights, exported for speed measurements only.", ""]
    else:
        train = training["train_config"]
        extra = {k: v for k, v in training["extra"].items()
                 if k not in ("selection", "init", "scene_stats", "lr_schedule")}
        lines += ["## Training", ""]
        if train.get("smoke"):
            lines += ["**Smoke run**: a few steps on tiny crops, exported as a test fixture. Not a usable model.", ""]
        if train["data"] == DISPARITY_SCENES:
            data = (f"- data: `{DISPARITY_SCENES}`: Middlebury-like 8-bit disparity maps generated on the fly "
                    f"(`disparity_scenes.py`); training and validation frames are disjoint rng streams of seed "
                    f"{train['seed']}")
            stats = training["extra"].get("scene_stats")
            if stats and stats["stats"] != "section12":
                share = f"{stats['mix']:.0%} of them" if 0 < stats["mix"] < 1 else "all of them"
                data += (f"; training frames: {share} with the `{stats['stats']}` statistics, validation frames "
                         "with section 12's")
        else:
            data = (f"- data: `{train['data']}` (scenes: {train['scenes'] or 'all'}, "
                    f"patterns: {train.get('patterns') or 'all'}), split by shard, "
                    f"validation fraction {train['val_fraction']}")
        lines += [data, *([f"- initial weights: {training['extra']['init']}"] if training["extra"].get("init") else []),
                  f"- steps: {training['step']}, batch {train['batch']}, crops {train['crop'][0]}x{train['crop'][1]}, "
                  f"lr {train['lr']}{_schedule(training['extra'].get('lr_schedule'))}, seed {train['seed']}",
                  f"- losses: `{json.dumps(extra)}`", ""]
        selection = training["extra"].get("selection")
        if selection:
            keys = list(selection[0])
            lines += ["## Loss-weight selection (validation split, best first)", "",
                      "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys),
                      *["| " + " | ".join(f"{row[k]:.4g}" for k in keys) + " |" for row in selection], ""]
        if training.get("comparison"):
            lines += ["## Validation against the baselines", "", training["comparison"].strip(), ""]
        if training["history"]:
            last = training["history"][-1]
            lines += ["## Validation (last)", "", "| metric | value |", "|---|---|",
                      *[f"| {k} | {v:.4g} |" for k, v in last.items()], ""]
    path = os.path.splitext(onnx_path)[0] + ".md"
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def _schedule(schedule) -> str:
    """The learning-rate schedule after the peak rate, e.g. " (warm-up 200 steps, cosine to 2e-06)"."""
    if not schedule:
        return ""
    parts = [f"warm-up {schedule['warmup']} steps"] if schedule.get("warmup") else []
    if schedule["schedule"] == "cosine":
        parts.append(f"cosine to {schedule['final']}")
    return f" ({', '.join(parts)})" if parts else ""
