"""What the three trainers share: common command-line options, seeding, checkpoints, the step loop and its finish
(``finish``: run the steps with checkpoints, then export the model with its card)."""
import argparse
import math
import os
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

import torch

from .config import TrainConfig, to_dict
from .onnx_export import export_with_card
from .progress import ProgressBar
from .synthetic import write_synthetic_shards

CHECKPOINT = "checkpoint.pt"


def add_common_arguments(parser: argparse.ArgumentParser, defaults: TrainConfig) -> None:
    parser.add_argument("--data", help="shard directory with manifest.json (from the Java exporter)")
    parser.add_argument("--out", default=defaults.out, help="run directory for checkpoints and logs")
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument("--batch", type=int, default=defaults.batch)
    parser.add_argument("--crop", type=int, nargs=2, metavar=("H", "W"),
                        help=f"random crop size in pixels (default {defaults.crop[0]} {defaults.crop[1]}; "
                             "smoke runs: small crops)")
    parser.set_defaults(default_crop=defaults.crop)
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--val-every", type=int, default=defaults.val_every)
    parser.add_argument("--checkpoint-every", type=int, default=defaults.checkpoint_every)
    parser.add_argument("--val-batches", type=int, default=defaults.val_batches)
    parser.add_argument("--val-fraction", type=float, default=defaults.val_fraction)
    parser.add_argument("--threads", type=int, default=defaults.threads, help="torch intra-op threads")
    parser.add_argument("--scenes", nargs="*", default=[], help="indoor and/or road; default all")
    parser.add_argument("--vgg-weights", default="",
                        help="torchvision VGG-16 state dict for the conv3_1 perceptual loss; without it the "
                             "gradient + SSIM substitute is used (nothing is ever downloaded)")
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda[:N]")
    parser.add_argument("--resume", action="store_true", help="continue from <out>/checkpoint.pt if present")
    parser.add_argument("--export", default="", metavar="NAME",
                        help="after training, export models/NAME.onnx with test I/O and a model card")
    parser.add_argument("--models-dir", default=None,
                        help="where --export writes (default: the repository's models/, shipped models; with "
                             "--smoke its test-models/, where the tests' fixtures live)")
    parser.add_argument("--smoke", action="store_true",
                        help="a few steps on tiny crops (synthetic shards unless --data is given)")


def train_config_from_args(args: argparse.Namespace, sparse: bool, smoke_crop=(32, 48)) -> TrainConfig:
    config = TrainConfig(data=args.data or "", out=args.out, steps=args.steps, batch=args.batch,
                         crop=tuple(args.crop or args.default_crop), lr=args.lr, seed=args.seed, val_every=args.val_every,
                         checkpoint_every=args.checkpoint_every, val_batches=args.val_batches,
                         val_fraction=args.val_fraction, threads=args.threads, scenes=list(args.scenes),
                         patterns=list(getattr(args, "patterns", []) or []), vgg_weights=args.vgg_weights)
    if args.models_dir is None:
        args.models_dir = os.path.join(os.path.dirname(__file__), "..", "..", "test-models" if args.smoke else "models")
    if args.smoke:
        config.smoke = True
        config.steps, config.batch, config.crop = min(args.steps, 4), 2, tuple(args.crop or smoke_crop)
        config.val_every = config.checkpoint_every = 2
        config.val_batches = 1
        if not config.data:
            config.data = write_synthetic_shards(os.path.join(config.out, "smoke-data"), sparse=sparse,
                                                 seed=config.seed)
    if not config.data:
        raise SystemExit("--data is required (a shard directory), or use --smoke")
    return config


def setup(config: TrainConfig, device: str) -> torch.device:
    """Threads and seeds are set explicitly: torch defaults to 1 intra-op thread on this machine."""
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    os.makedirs(config.out, exist_ok=True)
    return torch.device(device)


def save_checkpoint(out: str, state: dict) -> str:
    """Atomic write: a crash while saving never leaves a truncated checkpoint behind."""
    path = os.path.join(out, CHECKPOINT)
    fd, tmp = tempfile.mkstemp(dir=out, suffix=".tmp")
    os.close(fd)
    torch.save(state, tmp)
    os.replace(tmp, path)
    return path


def load_checkpoint(out: str, model_config: dict, device: torch.device) -> Optional[dict]:
    path = os.path.join(out, CHECKPOINT)
    if not os.path.isfile(path):
        return None
    state = torch.load(path, map_location=device)
    if state["model_config"] != model_config:
        raise ValueError(f"{path} was trained with model config {state['model_config']}, "
                         f"not the requested {model_config}; use another --out")
    return state


def checkpoint_state(kind: str, step: int, modules: Dict[str, torch.nn.Module],
                     optimizers: Dict[str, torch.optim.Optimizer], model_config: dict, train: TrainConfig,
                     history: List[dict], extra: dict) -> dict:
    return {"kind": kind, "step": step, "models": {k: m.state_dict() for k, m in modules.items()},
            "optimizers": {k: o.state_dict() for k, o in optimizers.items()}, "model_config": model_config,
            "train_config": to_dict(train), "history": history, "extra": extra}


def restore(state: dict, modules: Dict[str, torch.nn.Module], optimizers: Dict[str, torch.optim.Optimizer]):
    for k, m in modules.items():
        m.load_state_dict(state["models"][k])
    for k, o in optimizers.items():
        o.load_state_dict(state["optimizers"][k])


def run_steps(config: TrainConfig, start: int, step_fn: Callable[[int], Dict[str, float]],
              validate_fn: Callable[[], Dict[str, float]], save_fn: Callable[[int, List[dict]], None],
              history: List[dict]) -> List[dict]:
    """Steps start..config.steps-1; validation every ``val_every`` steps, checkpoint every
    ``checkpoint_every`` steps and at the end. A non-finite loss stops training with the step named."""
    bar = ProgressBar(config.steps, start)
    for step in range(start, config.steps):
        losses = step_fn(step)
        bad = [k for k, v in losses.items() if not math.isfinite(v)]
        if bad:
            bar.close()
            raise FloatingPointError(f"step {step}: non-finite loss {bad} = {[losses[k] for k in bad]}")
        done = step + 1
        bar.update(done, losses)
        if done % config.val_every == 0 or done == config.steps:
            metrics = validate_fn()
            history.append({"step": done, **metrics})
            bar.message(f"val step {done}: " + " ".join(f"{k}={v:.4g}" for k, v in metrics.items()))
        if done % config.checkpoint_every == 0 or done == config.steps:
            save_fn(done, history)
    bar.close()
    return history


@dataclass
class TrainingRun:
    """What a trainer's checkpoints and export describe: the model kind ("fast", "sr", "focal"), the modules and
    optimisers by name (``modules["model"]`` is the network that is exported), the model config (a config
    dataclass), the training config and the ``extra`` record (loss weights, ...; saved as it is at each
    checkpoint, so later additions to the dict are saved too)."""
    kind: str
    modules: Dict[str, torch.nn.Module]
    optimizers: Dict[str, torch.optim.Optimizer]
    model_config: Any
    train: TrainConfig
    extra: dict

    def save(self, step: int, history: List[dict]) -> None:
        save_checkpoint(self.train.out, checkpoint_state(self.kind, step, self.modules, self.optimizers,
                                                         to_dict(self.model_config), self.train, history,
                                                         self.extra))


def finish(run: TrainingRun, start: int, history: List[dict], step_fn: Callable[[int], Dict[str, float]],
           validate_fn: Callable[[], Dict[str, float]], export: str = "", models_dir: str = "") -> List[dict]:
    """The trainers' common tail: ``run_steps`` from ``start`` with ``run.save`` as the checkpoint, then, when
    ``export`` names a model, ``models_dir/<export>.onnx`` with test I/O and a model card (training steps,
    configs, validation history, ``extra``). Returns the history."""
    history = run_steps(run.train, start, step_fn, validate_fn, run.save, history)
    if export:
        export_with_card(run.modules["model"], run.kind, models_dir, export,
                         {"step": run.train.steps, "train_config": to_dict(run.train), "history": history,
                          "extra": run.extra})
    return history
