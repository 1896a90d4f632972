"""Train the depth super-resolution GAN on dense shards.

    /usr/bin/python3 -m depthstream_trainer.train_sr --data shards/road --out runs/sr4 --factor 4 --select-weights
    /usr/bin/python3 -m depthstream_trainer.train_sr --smoke --out runs/smoke-sr

Low-resolution inputs are made here from the dense depth by valid-aware average pooling (``valid_aware_pool``):
each low-res pixel is the mean of the valid depths of its factor x factor block, which is what a low-resolution
sensor integrates over its larger pixel; a block without any measurement becomes a hole (0).

L_G = MSE + alpha * perceptual + beta * adversarial (BCE, "real" label) + gamma * TV, on depth / max_depth;
L_D = BCE(D(real), 1) + BCE(D(fake), 0). Ground-truth holes are filled from the prediction before the image-level
terms and before D sees a real map, so D cannot tell real from fake by holes.

--select-weights trains a short run (--sweep-steps) for every (alpha, beta, gamma) of the grids from the same
initialisation, scores each on the validation split with score = RMSE / max_depth + (1 - SSIM) (lower is
better), keeps the best, and records the whole table in the checkpoint and the model card."""
import argparse
import itertools
from typing import List, Optional

import torch
import torch.nn.functional as F

from .blocks import valid_aware_pool
from .config import DiscriminatorConfig, SRGeneratorConfig, SRLossWeights, TrainConfig, to_dict
from .data import DepthShardDataset, to_device
from .export import export_with_card
from .losses import fill_holes, make_perceptual_loss, masked_mse, tv_loss
from .metrics import evaluate
from .sr_gan import Discriminator, SRGenerator
from .training import (add_common_arguments, checkpoint_state, load_checkpoint, restore, run_steps,
                       save_checkpoint, setup, train_config_from_args)


def make_low_res(depth: torch.Tensor, factor: int) -> torch.Tensor:
    low_res, _ = valid_aware_pool(depth, (depth > 0).to(depth.dtype), factor)
    return low_res


class SRGanTrainer:
    """Generator, discriminator, their optimisers and one training step."""

    def __init__(self, model_config: SRGeneratorConfig, weights: SRLossWeights, train: TrainConfig,
                 device: torch.device, disc_width: int):
        torch.manual_seed(train.seed)   # same initialisation for every weight candidate
        self.config, self.weights, self.train, self.device = model_config, weights, train, device
        self.generator = SRGenerator(model_config).to(device)
        self.discriminator = Discriminator(DiscriminatorConfig(width=disc_width), model_config.max_depth).to(device)
        self.opt_g = torch.optim.Adam(self.generator.parameters(), lr=train.lr, betas=(0.9, 0.999))
        self.opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=train.lr, betas=(0.9, 0.999))
        self.perceptual = make_perceptual_loss(train.vgg_weights, model_config.max_depth).to(device)

    @property
    def modules(self):
        return {"model": self.generator, "discriminator": self.discriminator}

    @property
    def optimizers(self):
        return {"model": self.opt_g, "discriminator": self.opt_d}

    def step(self, batch: dict) -> dict:
        md, w = self.config.max_depth, self.weights
        depth = batch["depth"]
        valid = (depth > 0).to(depth.dtype)
        self.generator.train()
        self.discriminator.train()
        pred = self.generator(make_low_res(depth, self.config.factor))
        real = fill_holes(depth, pred, valid)
        logits_fake = self.discriminator(pred)
        mse = masked_mse(pred / md, depth / md, valid)
        perc = self.perceptual(pred, real) if w.alpha else torch.zeros((), device=pred.device)
        adv = F.binary_cross_entropy_with_logits(logits_fake, torch.ones_like(logits_fake))
        tv = tv_loss(pred / md)
        loss_g = mse + w.alpha * perc + w.beta * adv + w.gamma * tv
        self.opt_g.zero_grad()
        loss_g.backward()
        self.opt_g.step()
        logits_real, logits_fake = self.discriminator(real.detach()), self.discriminator(pred.detach())
        loss_d = (F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real))
                  + F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake)))
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_d.step()
        return {"loss_g": loss_g.item(), "mse": mse.item(), "adv": adv.item(), "loss_d": loss_d.item()}

    def validate(self, dataset: DepthShardDataset) -> dict:
        self.generator.eval()
        batches = (to_device(b, self.device) for b in dataset.validation_batches(self.train.batch,
                                                                               self.train.val_batches))
        return evaluate(lambda b: self.generator(make_low_res(b["depth"], self.config.factor)), batches,
                        self.config.max_depth)


def selection_score(metrics: dict, max_depth: float) -> float:
    return metrics["rmse"] / max_depth + (1.0 - metrics["ssim"])


def select_weights(grid, steps: int, model_config, train, device, disc_width, datasets) -> List[dict]:
    """Short run per candidate; returns the table sorted best first."""
    table = []
    for alpha, beta, gamma in grid:
        weights = SRLossWeights(alpha, beta, gamma)
        trainer = SRGanTrainer(model_config, weights, train, device, disc_width)
        for step in range(steps):
            trainer.step(to_device(datasets["train"].batch(step, train.batch), device))
        metrics = trainer.validate(datasets["val"])
        row = {**to_dict(weights), "rmse": metrics["rmse"], "ssim": metrics["ssim"],
               "score": selection_score(metrics, model_config.max_depth)}
        print("weights " + " ".join(f"{k}={v:.4g}" for k, v in row.items()), flush=True)
        table.append(row)
    return sorted(table, key=lambda r: r["score"])


def parse_args(argv: Optional[List[str]]):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(parser, TrainConfig(out="runs/sr", lr=1e-4))
    d, w = SRGeneratorConfig(), SRLossWeights()
    parser.add_argument("--factor", type=int, choices=[2, 4, 8], default=d.factor)
    parser.add_argument("--width", type=int, default=d.width)
    parser.add_argument("--blocks", type=int, default=d.blocks)
    parser.add_argument("--activation", default=d.activation, help="elu (research), relu, leaky_relu, prelu")
    parser.add_argument("--no-batch-norm", action="store_true")
    parser.add_argument("--max-depth", type=float, default=d.max_depth, help="metres")
    parser.add_argument("--disc-width", type=int, default=DiscriminatorConfig().width)
    parser.add_argument("--alpha", type=float, default=w.alpha)
    parser.add_argument("--beta", type=float, default=w.beta)
    parser.add_argument("--gamma", type=float, default=w.gamma)
    parser.add_argument("--select-weights", action="store_true", help="choose alpha, beta, gamma on validation")
    parser.add_argument("--alpha-grid", type=float, nargs="+", default=[0.0, 0.01, 0.1])
    parser.add_argument("--beta-grid", type=float, nargs="+", default=[0.0, 1e-3, 1e-2])
    parser.add_argument("--gamma-grid", type=float, nargs="+", default=[0.0, 1e-4])
    parser.add_argument("--sweep-steps", type=int, default=1000)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    model_config = SRGeneratorConfig(args.factor, args.width, args.blocks, args.activation,
                                     not args.no_batch_norm, "late", 3, args.max_depth)
    train = train_config_from_args(args, sparse=False, smoke_crop=(32, 48))
    device = setup(train, args.device)
    datasets = {split: DepthShardDataset(train.data, split, train.crop, args.factor, train.val_fraction,
                                         train.scenes, (), train.seed) for split in ("train", "val")}
    state = load_checkpoint(train.out, to_dict(model_config), device) if args.resume else None
    weights, sweep = SRLossWeights(args.alpha, args.beta, args.gamma), []
    if state:
        weights, sweep = SRLossWeights(**state["extra"]["weights"]), state["extra"]["selection"]
    elif args.select_weights:
        grid = list(itertools.product(args.alpha_grid, args.beta_grid, args.gamma_grid))
        sweep = select_weights(grid, 2 if args.smoke else args.sweep_steps, model_config, train, device,
                               args.disc_width, datasets)
        weights = SRLossWeights(sweep[0]["alpha"], sweep[0]["beta"], sweep[0]["gamma"])
        print(f"selected {to_dict(weights)}", flush=True)
    trainer = SRGanTrainer(model_config, weights, train, device, args.disc_width)
    extra = {"weights": to_dict(weights), "perceptual": trainer.perceptual.name, "selection": sweep,
             "selection_score": "rmse / max_depth + (1 - ssim)", "low_res": "valid-aware average pooling"}
    start, history = 0, []
    if state:
        restore(state, trainer.modules, trainer.optimizers)
        start, history = state["step"], state["history"]

    def save(step: int, hist: list) -> None:
        save_checkpoint(train.out, checkpoint_state("sr", step, trainer.modules, trainer.optimizers,
                                                    to_dict(model_config), train, hist, extra))

    history = run_steps(train, start,
                        lambda step: trainer.step(to_device(datasets["train"].batch(step, train.batch), device)),
                        lambda: trainer.validate(datasets["val"]), save, history)
    if args.export:
        export_with_card(trainer.generator, "sr", args.models_dir, args.export,
                         {"step": train.steps, "train_config": to_dict(train), "history": history, "extra": extra})
    return {"history": history, "out": train.out, "weights": to_dict(weights), "selection": sweep}


if __name__ == "__main__":
    main()
