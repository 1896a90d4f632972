"""The SR GAN's training step and its loss-weight selection (``train_sr`` is the command line).

Every loss is on depth / frame scale (the generator's per-frame normalisation: the maximum of the low-res input).
L_G = MSE + alpha * perceptual + beta * adversarial (BCE, "real" label) + gamma * TV; L_D = BCE(D(real), 1) +
BCE(D(fake), 0), D only run when beta > 0. Ground-truth holes are filled from the prediction before the
image-level terms and before D sees a real map. Selection score = RMSE / max_depth + (1 - SSIM), lower is better."""
import copy
import dataclasses
import math
import os
from typing import List

import torch
import torch.nn.functional as F

from .config import DiscriminatorConfig, SRGeneratorConfig, SRLossWeights, TrainConfig, to_dict
from .data import DepthShardDataset, to_device
from .degradation import make_low_res
from .losses import fill_holes, make_perceptual_loss, masked_mse, tv_loss
from .metrics import evaluate
from .onnx_export import folded_conv_weight_shapes, load_folded_conv_weights
from .resample import ResizeMatrices
from .sr_gan import Discriminator, SRGenerator, frame_scale, widen_generator

LR_SCHEDULES = ("constant", "cosine")


def learning_rate(step: int, steps: int, lr: float, schedule: str = "constant", warmup: int = 0,
                  final: float = 0.0) -> float:
    """The generator's rate at ``step`` (a pure function of the step, so a resumed run continues the schedule):
    linear warm-up from lr / warmup to lr over the first ``warmup`` steps, then constant or a cosine from lr to
    ``final`` at ``steps`` (Loshchilov & Hutter 2017, without restarts)."""
    if schedule not in LR_SCHEDULES:
        raise ValueError(f"unknown lr schedule {schedule!r}, expected one of {LR_SCHEDULES}")
    if step < warmup:
        return lr * (step + 1) / warmup
    if schedule == "constant":
        return lr
    t = min(1.0, (step - warmup) / max(1, steps - warmup))
    return final + (lr - final) * 0.5 * (1.0 + math.cos(math.pi * t))


def init_from_onnx(generator: SRGenerator, path: str) -> str:
    """Loads a shipped generator's folded weights (``load_folded_conv_weights``) into ``generator``; when the file
    is narrower (its first convolution has fewer outputs), loads them into a generator of the file's width and
    widens that function-preservingly (``widen_generator``). Returns the description the card records."""
    width = folded_conv_weight_shapes(path)[0][0]
    if width == generator.config.width:
        load_folded_conv_weights(generator, path)
        return f"weights of {path} (batch norm folded at its export)"
    narrow = SRGenerator(dataclasses.replace(generator.config, width=width))
    load_folded_conv_weights(narrow, path)
    generator.load_state_dict(widen_generator(narrow, generator.config).state_dict())
    return (f"weights of {path} (batch norm folded at its export), widened from {width} to "
            f"{generator.config.width} channels (new channels' outgoing weights zero: the same function)")


class SRGanTrainer:
    """Generator, discriminator, their optimisers and one training step.

    Every loss is computed on depth / frame scale (the generator's own per-frame normalisation, the maximum of
    the low-res input), so near indoor frames and far road frames weigh alike."""

    def __init__(self, model_config: SRGeneratorConfig, weights: SRLossWeights, train: TrainConfig,
                 device: torch.device, disc_width: int, degradation: str = "mixed", lr_schedule: dict = None):
        torch.manual_seed(train.seed)   # same initialisation for every weight candidate
        self.config, self.weights, self.train, self.device = model_config, weights, train, device
        self.lr_schedule = lr_schedule or {}    # learning_rate's schedule / warmup / final; empty = constant
        self.degradation = degradation
        self.generator = SRGenerator(model_config).to(device)
        self.discriminator = Discriminator(DiscriminatorConfig(width=disc_width)).to(device)
        self.opt_g = torch.optim.Adam(self.generator.parameters(), lr=train.lr, betas=(0.9, 0.999))
        self.opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=train.lr, betas=(0.9, 0.999))
        self.perceptual = make_perceptual_loss(train.vgg_weights, 1.0).to(device)
        self.matrices = ResizeMatrices()   # the bicubic degradation's resampling matrices, per crop size

    @property
    def modules(self):
        return {"model": self.generator, "discriminator": self.discriminator}

    @property
    def optimizers(self):
        return {"model": self.opt_g, "discriminator": self.opt_d}

    def step(self, batch: dict, step: int = 0) -> dict:
        w = self.weights
        depth = batch["depth"]
        valid = (depth > 0).to(depth.dtype)
        self.generator.train()
        g = torch.Generator().manual_seed(self.train.seed * 1_000_003 + step)
        choose = torch.rand(depth.shape[0], generator=g) < 0.5
        low = make_low_res(depth, self.config.factor, self.degradation, choose, self.matrices)
        scale = frame_scale(low)
        pred = self.generator(low)
        real = fill_holes(depth, pred, valid)
        zero = torch.zeros((), device=pred.device)
        mse = masked_mse(pred / scale, depth / scale, valid)
        perc = self.perceptual(pred / scale, real / scale) if w.alpha else zero
        tv = tv_loss(pred / scale) if w.gamma else zero
        adv = zero
        if w.beta:    # the discriminator costs more than the generator: only run it when it is used
            self.discriminator.train()
            logits_fake = self.discriminator(pred, scale)
            adv = F.binary_cross_entropy_with_logits(logits_fake, torch.ones_like(logits_fake))
        loss_g = mse + w.alpha * perc + w.beta * adv + w.gamma * tv
        for group in self.opt_g.param_groups:
            group["lr"] = learning_rate(step, self.train.steps, self.train.lr, **self.lr_schedule)
        self.opt_g.zero_grad()
        loss_g.backward()
        self.opt_g.step()
        out = {"loss_g": loss_g.item(), "mse": mse.item()}
        if w.beta:
            logits_real = self.discriminator(real.detach(), scale)
            logits_fake = self.discriminator(pred.detach(), scale)
            loss_d = (F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real))
                      + F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake)))
            self.opt_d.zero_grad()
            loss_d.backward()
            self.opt_d.step()
            out.update(adv=adv.item(), loss_d=loss_d.item())
        return out

    def validate(self, dataset: DepthShardDataset) -> dict:
        """Full validation frames; 'mixed' alternates pool / bicubic inputs frame by frame."""
        self.generator.eval()
        batches = (to_device(b, self.device) for b in dataset.validation_batches(self.train.batch,
                                                                               self.train.val_batches))
        return evaluate(lambda b: self.generator(make_low_res(b["depth"], self.config.factor, self.degradation,
                                                              matrices=self.matrices)),
                        batches, self.config.max_depth)


def selection_score(metrics: dict, max_depth: float) -> float:
    return metrics["rmse"] / max_depth + (1.0 - metrics["ssim"])


def select_weights(grid, steps: int, model_config, train, device, disc_width, datasets,
                   degradation: str = "mixed"):
    """Short run per candidate from the same initialisation and the same batches. Returns the table sorted best
    first and the winner's state (generator, discriminator, optimisers), which the main run continues from."""
    table, best = [], None
    for alpha, beta, gamma in grid:
        weights = SRLossWeights(alpha, beta, gamma)
        trainer = SRGanTrainer(model_config, weights, train, device, disc_width, degradation)
        for step in range(steps):
            trainer.step(to_device(datasets["train"].batch(step, train.batch), device), step)
        metrics = trainer.validate(datasets["val"])
        row = {**to_dict(weights), "rmse": metrics["rmse"], "rel": metrics["rel"], "ssim": metrics["ssim"],
               "psnr": metrics["psnr"], "score": selection_score(metrics, model_config.max_depth)}
        print("weights " + " ".join(f"{k}={v:.4g}" for k, v in row.items()), flush=True)
        table.append(row)
        if best is None or row["score"] < best[0]:
            best = (row["score"], {"models": {k: copy.deepcopy(m.state_dict()) for k, m in trainer.modules.items()},
                                   "optimizers": {k: copy.deepcopy(o.state_dict())
                                                  for k, o in trainer.optimizers.items()}})
    return sorted(table, key=lambda r: r["score"]), best[1]


def selection_from_runs(runs: List[str], step: int, max_depth: float) -> List[dict]:
    """The --select-weights table, from candidate runs trained separately (e.g. in parallel processes) from the
    same initialisation and batches: each run's validation entry at ``step``, sorted best first."""
    table = []
    for run in runs:
        state = torch.load(os.path.join(run, "checkpoint.pt"), map_location="cpu")
        at = [h for h in state["history"] if h["step"] == step]
        if not at:
            raise ValueError(f"{run}: no validation at step {step} (has {[h['step'] for h in state['history']]})")
        m = at[0]
        table.append({**state["extra"]["weights"], "rmse": m["rmse"], "rel": m["rel"], "ssim": m["ssim"],
                      "psnr": m["psnr"], "score": selection_score(m, max_depth)})
    return sorted(table, key=lambda r: r["score"])
