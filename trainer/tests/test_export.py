import json
import os

import numpy as np
import onnx
import pytest
import torch

from depthstream_trainer.config import FastInterpConfig, FocalStackConfig, SRGeneratorConfig
from depthstream_trainer.export import build_model, export_onnx, read_io
from depthstream_trainer.fast_interp import FastInterpNet
from depthstream_trainer.focal_stack import FocalStackNet
from depthstream_trainer.model_card import sha256, write_model_card
from depthstream_trainer.sr_gan import SRGenerator

# ONNX Runtime supports all of these on CPU; anything else (ATen fallbacks, custom domains) would break Java.
KNOWN_OPS = {"Conv", "ConvTranspose", "Relu", "Elu", "Add", "Mul", "Div", "Sub", "Concat", "Slice", "Pad",
             "AveragePool", "DepthToSpace", "Tanh", "LSTM", "Reshape", "Transpose", "Shape", "Gather", "Mod",
             "Constant", "ConstantOfShape", "Expand", "Unsqueeze", "Squeeze", "Cast", "Where", "Equal", "Clip",
             "Max", "LayerNormalization", "Identity", "Range", "Min"}
KNOWN_OPS |= {"ReduceMax", "Greater", "GreaterOrEqual", "Less", "LessOrEqual"}  # SR: frame scale, coverage

CASES = {"fast": FastInterpNet(FastInterpConfig(width=8)),
         "sr": SRGenerator(SRGeneratorConfig(width=8, blocks=1)),
         "focal": FocalStackNet(FocalStackConfig(widths=(4, 8, 8)))}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_export_round_trip(kind, tmp_path):
    torch.manual_seed(0)
    model = CASES[kind]
    path = str(tmp_path / f"{kind}.onnx")
    io_json = export_onnx(model, kind, path)
    graph = onnx.load(path)
    onnx.checker.check_model(graph)
    assert graph.opset_import[0].version == 17
    assert {n.op_type for n in graph.graph.node} <= KNOWN_OPS
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in graph.graph.input}
    expected = {"fast": {"sparse": ["N", 2, "H", "W"]}, "sr": {"low_res": ["N", 1, "h", "w"]},
                "focal": {"stack": ["N", "T", 3, "H", "W"], "focus": ["N", "T"]}}[kind]
    assert dims == expected
    # the stored test I/O reproduces: inputs fed to the reloaded PyTorch weights give the stored output
    tensors = read_io(io_json)
    with open(io_json) as f:
        spec = json.load(f)
    reloaded = build_model(kind, {k: v for k, v in model.config.__dict__.items()})
    reloaded.load_state_dict(model.state_dict())
    with torch.no_grad():
        out = reloaded.eval()(*[torch.from_numpy(tensors[t["name"]]) for t in spec["inputs"]])
    assert spec["tolerance"] == 1e-4 and spec["outputs"][0]["shape"] == list(out.shape)
    assert np.allclose(out.numpy(), tensors["depth"], atol=1e-5)
    # the raw files are little-endian float32 of exactly the stated shape
    first = spec["inputs"][0]
    assert os.path.getsize(tmp_path / first["file"]) == 4 * int(np.prod(first["shape"]))


def test_model_card_states_size_cost_and_checksum(tmp_path):
    model = CASES["fast"]
    path = str(tmp_path / "fast.onnx")
    export_onnx(model, "fast", path)
    card = open(write_model_card(path, model, "fast", None)).read()
    assert sha256(path) in card
    assert f"| parameters | {sum(p.numel() for p in model.parameters()):,} |" in card
    assert "MACs (output 640x480)" in card and "random weights" in card
