"""The three networks by kind: build one from its config dict, or load a trained checkpoint."""
from typing import Tuple

import torch
from torch import nn

from .config import FastInterpConfig, FocalStackConfig, SRGeneratorConfig, from_dict
from .fast_interp import FastInterpNet
from .focal_stack import FocalStackNet
from .refine_head import RefinedFastNet
from .sr_gan import SRGenerator

KINDS = {"fast": (FastInterpNet, FastInterpConfig), "sr": (SRGenerator, SRGeneratorConfig),
         "focal": (FocalStackNet, FocalStackConfig)}


def build_model(kind: str, model_config: dict) -> nn.Module:
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}, expected one of {sorted(KINDS)}")
    net, cfg = KINDS[kind]
    return net(from_dict(cfg, model_config))


def input_multiple(model: nn.Module) -> int:
    """The multiple H and W of the model's input must have (1 = any size; the focal net pads inside)."""
    return int(getattr(model, "multiple", 1)) if isinstance(model, (FastInterpNet, RefinedFastNet)) else 1


def load_checkpoint_model(path: str) -> Tuple[dict, nn.Module]:
    """(checkpoint state, its model in eval mode on the CPU)."""
    state = torch.load(path, map_location="cpu")
    model = build_model(state["kind"], state["model_config"])
    model.load_state_dict(state["models"]["model"])
    model.eval()
    return state, model
