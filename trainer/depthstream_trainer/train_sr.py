"""Train the depth super-resolution GAN on dense shards.

    /usr/bin/python3 -m depthstream_trainer.train_sr --data shards/road --out runs/sr4 --factor 4 --select-weights
    /usr/bin/python3 -m depthstream_trainer.train_sr --smoke --out runs/smoke-sr

Low-resolution inputs are made from the dense depth (``--degradation``, ``degradation.py``): 'pool' = valid-aware
average pooling (``valid_aware_pool``: each low-res pixel is the mean of the valid depths of its factor x factor
block, what a low-resolution sensor integrates; an empty block is a hole; the Java baselines' input),
'bicubic' = MATLAB ``imresize`` (antialiased bicubic, the Middlebury standard protocol of tools/depth-tools/EVALUATION.md),
made hole-aware like depth-sim's Resampler, or 'mixed' (default) = each training frame either, 50/50, so one model
serves both.

L_G = MSE + alpha * perceptual + beta * adversarial (BCE, "real" label) + gamma * TV, all on depth / frame scale
(the generator's per-frame normalisation: the maximum of the low-res input); L_D = BCE(D(real), 1) +
BCE(D(fake), 0), D only built into the step when beta > 0. Ground-truth holes are filled from the prediction
before the image-level terms and before D sees a real map, so D cannot tell real from fake by holes.

--select-weights trains a short run (--sweep-steps) for every (alpha, beta, gamma) of the grids from the same
initialisation and batches, scores each on the validation split with score = RMSE / max_depth + (1 - SSIM)
(lower is better), records the whole table in the checkpoint and the model card, and continues the winner's run
(its steps count towards --steps). --selection-runs records the same table from candidate runs trained as
separate processes (same seed and schedule, one weight triple each), scored at --selection-step; give it to the
winner's run when resuming it.

--data disparity-scenes trains on Middlebury-like 8-bit disparity maps generated on the fly
(``disparity_scenes.py``) instead of shards; --val-full-frames then validates on 376x448 frames of its own
validation stream. --init-onnx starts from a shipped generator's weights (its checkpoint need not exist): the
export folded batch norm into the convolutions, so the run must use --no-batch-norm and the same blocks; a wider
--width than the file's widens it function-preservingly (``sr_gan.widen_generator``). --scene-stats and
--scene-mix choose the training frames' statistics (``disparity_scenes.scene_stats``); validation always uses
section 12's, so every run is scored on the same frames. --lr-schedule cosine --warmup N --lr-final X decays the
generator's rate from --lr to X over --steps.
"""
import argparse
import itertools
import json
from typing import List, Optional

from .config import DiscriminatorConfig, SRGeneratorConfig, SRLossWeights, TrainConfig, to_dict
from .data import DepthShardDataset, to_device
from .degradation import DEGRADATIONS
from .disparity_scenes import DISPARITY_SCENES, SCENE_STATS, VALIDATION_FRAME, DisparitySceneDataset, scene_stats
from .sr_training import LR_SCHEDULES, SRGanTrainer, init_from_onnx, select_weights, selection_from_runs
from .training import TrainingRun, add_common_arguments, finish, load_checkpoint, restore, setup, train_config_from_args


def parse_args(argv: Optional[List[str]]):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser, TrainConfig(out="runs/sr", lr=1e-4))
    d, w = SRGeneratorConfig(), SRLossWeights()
    parser.add_argument("--factor", type=int, choices=[2, 4, 8], default=d.factor)
    parser.add_argument("--width", type=int, default=d.width)
    parser.add_argument("--blocks", type=int, default=d.blocks)
    parser.add_argument("--activation", default=d.activation, help="elu (research), relu, leaky_relu, prelu")
    parser.add_argument("--no-batch-norm", action="store_true")
    parser.add_argument("--residual", choices=["additive", "relative"], default=d.residual,
                        help="skip + tanh(r) in signed units, or skip * (1 + tanh(r))")
    parser.add_argument("--max-depth", type=float, default=d.max_depth, help="metres")
    parser.add_argument("--disc-width", type=int, default=DiscriminatorConfig().width)
    parser.add_argument("--alpha", type=float, default=w.alpha)
    parser.add_argument("--beta", type=float, default=w.beta)
    parser.add_argument("--gamma", type=float, default=w.gamma)
    parser.add_argument("--select-weights", action="store_true", help="choose alpha, beta, gamma on validation")
    parser.add_argument("--alpha-grid", type=float, nargs="+", default=[0.0, 0.01, 0.1])
    parser.add_argument("--beta-grid", type=float, nargs="+", default=[0.0, 1e-3, 1e-2])
    parser.add_argument("--gamma-grid", type=float, nargs="+", default=[0.0, 1e-4])
    parser.add_argument("--sweep-steps", type=int, default=1000,
                        help="steps per candidate; the winner continues from there (counts towards --steps)")
    parser.add_argument("--degradation", choices=DEGRADATIONS, default="mixed",
                        help="low-res inputs: pool (valid-aware mean, Java baselines), bicubic (antialiased, "
                             "Middlebury protocol) or mixed (each frame either, 50/50)")
    parser.add_argument("--selection-runs", nargs="+", default=[], metavar="DIR",
                        help="record a selection made from separate (parallel) candidate runs: one run per "
                             "(alpha, beta, gamma), same seed and schedule, scored at --selection-step")
    parser.add_argument("--selection-step", type=int, default=0)
    parser.add_argument("--val-full-frames", action="store_true",
                        help="validate on uncropped frames instead of centre crops of --crop")
    parser.add_argument("--init-onnx", metavar="FILE",
                        help="start from the weights of this ONNX generator (exported with batch norm, which the "
                             "export folded: give --no-batch-norm and its blocks; a larger --width widens it)")
    parser.add_argument("--scene-stats", choices=SCENE_STATS, default="section12",
                        help="--data disparity-scenes: the training frames' statistics (validation: section12)")
    parser.add_argument("--scene-mix", type=float, default=0.0, metavar="SHARE",
                        help="with --scene-stats other than section12: draw only this share of the training "
                             "frames with them, the rest with section12's (0 = all)")
    parser.add_argument("--lr-schedule", choices=LR_SCHEDULES, default="constant")
    parser.add_argument("--warmup", type=int, default=0, help="steps of linear learning-rate warm-up")
    parser.add_argument("--lr-final", type=float, default=0.0, help="the cosine schedule's rate at --steps")
    return parser.parse_args(argv)


def make_datasets(train: TrainConfig, factor: int, val_full_frames: bool, stats_name: str = "section12",
                  scene_mix: float = 0.0) -> dict:
    """Training and validation splits: the shards of ``train.data``, or generated disparity maps (training frames
    with the statistics ``stats_name``, or a ``scene_mix`` share of them; validation frames always section 12's)."""
    if train.data == DISPARITY_SCENES:
        val_crop = VALIDATION_FRAME if val_full_frames and not train.smoke else train.crop
        stats = scene_stats(stats_name)
        mixed = 0 < scene_mix < 1 and stats_name != "section12"
        train_set = (DisparitySceneDataset("train", train.crop, factor, train.seed, mix=(stats, scene_mix)) if mixed
                     else DisparitySceneDataset("train", train.crop, factor, train.seed, stats))
        return {"train": train_set, "val": DisparitySceneDataset("val", val_crop, factor, train.seed)}
    datasets = {"train": DepthShardDataset(train.data, "train", train.crop, factor, train.val_fraction,
                                           train.scenes, (), train.seed)}
    val_crop = train.crop
    if val_full_frames:
        probe = datasets["train"].manifest
        val_crop = (probe.height // factor * factor, probe.width // factor * factor)
    datasets["val"] = DepthShardDataset(train.data, "val", val_crop, factor, train.val_fraction,
                                        train.scenes, (), train.seed)
    return datasets


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    model_config = SRGeneratorConfig(args.factor, args.width, args.blocks, args.activation,
                                     not args.no_batch_norm, "late", 3, args.max_depth, args.residual)
    train = train_config_from_args(args, sparse=False, smoke_crop=(32, 48))
    device = setup(train, args.device)
    datasets = make_datasets(train, args.factor, args.val_full_frames, args.scene_stats, args.scene_mix)
    state = load_checkpoint(train.out, to_dict(model_config), device) if args.resume else None
    weights, sweep, winner, start = SRLossWeights(args.alpha, args.beta, args.gamma), [], None, 0
    if state:
        weights, sweep = SRLossWeights(**state["extra"]["weights"]), state["extra"]["selection"]
    elif args.select_weights:
        grid = list(itertools.product(args.alpha_grid, args.beta_grid, args.gamma_grid))
        sweep_steps = 2 if args.smoke else args.sweep_steps
        sweep, winner = select_weights(grid, sweep_steps, model_config, train, device, args.disc_width, datasets,
                                       args.degradation)
        weights = SRLossWeights(sweep[0]["alpha"], sweep[0]["beta"], sweep[0]["gamma"])
        start = min(sweep_steps, train.steps)
        print(f"selected {to_dict(weights)}; continuing its run from step {start}", flush=True)
    sweep_steps = args.sweep_steps if args.select_weights else 0
    if state:
        sweep_steps = state["extra"].get("sweep_steps", 0)
    if args.selection_runs:
        sweep, sweep_steps = selection_from_runs(args.selection_runs, args.selection_step,
                                                 model_config.max_depth), args.selection_step
        print("selection " + json.dumps(sweep), flush=True)
    schedule = {"schedule": args.lr_schedule, "warmup": args.warmup, "final": args.lr_final}
    trainer = SRGanTrainer(model_config, weights, train, device, args.disc_width, args.degradation, schedule)
    extra = {"weights": to_dict(weights), "perceptual": trainer.perceptual.name, "selection": sweep,
             "selection_score": "rmse / max_depth + (1 - ssim)", "degradation": args.degradation,
             "sweep_steps": sweep_steps,
             "normalisation": "per frame: depth / max(low-res input); losses on the same units",
             "skip": "hole-aware bicubic (Keys a=-0.5, replicate edges) + tanh residual"}
    if train.data == DISPARITY_SCENES:
        extra["scene_stats"] = {"stats": args.scene_stats, "mix": args.scene_mix}
    if args.lr_schedule != "constant" or args.warmup:
        extra["lr_schedule"] = schedule
    history = []
    if state:
        restore(state, trainer.modules, trainer.optimizers)
        start, history = state["step"], state["history"]
        if "init" in state["extra"]:     # where the resumed run's weights started
            extra["init"] = state["extra"]["init"]
    elif winner is not None:
        restore(winner, trainer.modules, trainer.optimizers)
    elif args.init_onnx:
        extra["init"] = init_from_onnx(trainer.generator, args.init_onnx)

    run = TrainingRun("sr", trainer.modules, trainer.optimizers, model_config, train, extra)
    history = finish(run, start, history,
                     lambda step: trainer.step(to_device(datasets["train"].batch(step, train.batch), device), step),
                     lambda: trainer.validate(datasets["val"]), args.export, args.models_dir)
    return {"history": history, "out": train.out, "weights": to_dict(weights), "selection": sweep}


if __name__ == "__main__":
    main()
