"""ONNX export (opset 17, dynamic N/H/W and stack length T) with a fixed test input and the PyTorch output
beside each model, so the Java side can check ONNX Runtime against PyTorch.

Files for models/NAME.onnx:
    NAME.io.json           {"tolerance": 1e-4, "inputs": [{"name", "shape", "dtype", "file"}], "outputs": [...]}
    NAME.<tensor>.bin      raw little-endian float32, row-major (C order), shape from the JSON
    NAME.md                model card (``model_card``)

Models that need H and W to be multiples of some m (the fast net v2: m = 2 * downscale, no padding in the
graph) carry ``depthstream.input_multiple`` = "m" in the ONNX metadata_props; the caller zero-pads the input
bottom/right to that multiple and crops the output. Their test I/O uses such a size.

The command line is ``export``; the trainers export through ``export_with_card`` (``training.finish``).
"""
import inspect
import json
import math
import os
import warnings
from typing import Dict, List, Optional

import numpy as np
import onnx
import torch
from torch import nn

from .fast_interp import INPUT_MULTIPLE_KEY, pad_input
from .model_card import write_model_card
from .models import input_multiple

OPSET = 17
TOLERANCE = 1e-4


def example_inputs(kind: str, model: nn.Module, height: int = 50, width: int = 70,
                   stack: int = 3, seed: int = 0) -> Dict[str, torch.Tensor]:
    """A fixed test input. The default 50 x 70 is deliberately not a multiple of 8, so the focal net's
    in-graph padding is exercised; the fast net requires multiples of ``input_multiple``, so its 50 x 70 frame
    is zero-padded by ``pad_input`` (to 56 x 72), as the Java runner pads."""
    g = torch.Generator().manual_seed(seed)
    if kind == "fast":
        depth = 1 + 9 * torch.rand(1, 1, height, width, generator=g)
        mask = (torch.rand(1, 1, height, width, generator=g) < 0.1).float()
        # multiples of 8 for every downscale: the full-resolution variant (multiple 2) disagrees with ONNX
        # Runtime at widths of 2 mod 4 (e.g. 70: 0.18 m); see models/reference/fast_interp_full.md
        multiple = math.lcm(8, input_multiple(model))
        return {"sparse": pad_input(torch.cat([depth * mask, mask], 1), multiple)}
    if kind == "sr":
        f = model.config.factor
        return {"low_res": 1 + 9 * torch.rand(1, 1, max(1, height // f), max(1, width // f), generator=g)}
    if kind == "focal":
        focus = torch.sort(0.5 + 4 * torch.rand(1, stack, generator=g)).values
        return {"stack": torch.rand(1, stack, 3, height, width, generator=g), "focus": focus}
    raise ValueError(f"unknown model kind {kind!r}")


DYNAMIC_AXES = {
    "fast": {"sparse": {0: "N", 2: "H", 3: "W"}, "depth": {0: "N", 2: "H", 3: "W"}},
    "sr": {"low_res": {0: "N", 2: "h", 3: "w"}, "depth": {0: "N", 2: "H", 3: "W"}},
    "focal": {"stack": {0: "N", 1: "T", 3: "H", 4: "W"}, "focus": {0: "N", 1: "T"},
              "depth": {0: "N", 2: "H", 3: "W"}},
}


def write_tensor(path: str, array: np.ndarray) -> None:
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def read_io(json_path: str) -> Dict[str, np.ndarray]:
    """All tensors of an .io.json, by name (inputs and outputs)."""
    with open(json_path) as f:
        spec = json.load(f)
    folder = os.path.dirname(json_path)
    return {t["name"]: np.fromfile(os.path.join(folder, t["file"]), dtype="<f4").reshape(t["shape"])
            for t in spec["inputs"] + spec["outputs"]}


def export_onnx(model: nn.Module, kind: str, path: str, inputs: Optional[Dict[str, torch.Tensor]] = None) -> str:
    """Export ``model`` (moved to CPU, eval mode) to ``path``, check it with onnx.checker and write the test
    I/O next to it. Returns the path of the .io.json."""
    model = model.cpu().eval()
    inputs = inputs or example_inputs(kind, model)
    names = list(inputs)
    options = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False   # PyTorch 2.x: keep the TorchScript exporter (dynamic_axes, same graph)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 warns about LSTM batch sizes (the initial state is built from the input's shape, so any
        # batch works), about shape inference of constants and about nn.LSTM's Python-side size checks;
        # none affects the exported graph (the export tests check dynamic dims and outputs).
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)   # nn.LSTM's own input-size checks
        torch.onnx.export(model, tuple(inputs.values()), path, opset_version=OPSET, input_names=names,
                          output_names=["depth"], dynamic_axes=DYNAMIC_AXES[kind], do_constant_folding=True,
                          **options)
        output = model(*inputs.values())
    graph = onnx.load(path)
    multiple = input_multiple(model)
    if multiple > 1:
        # The Java runner reads this to pad the input (zeros = no measurement) and crop the output.
        onnx.helper.set_model_props(graph, {INPUT_MULTIPLE_KEY: str(multiple)})
        onnx.save(graph, path)
    onnx.checker.check_model(graph)
    stem = os.path.splitext(path)[0]
    base = os.path.basename(stem)

    def entries(tensors: Dict[str, torch.Tensor]) -> List[dict]:
        listed = []
        for name, tensor in tensors.items():
            write_tensor(f"{stem}.{name}.bin", tensor.numpy())
            listed.append({"name": name, "shape": list(tensor.shape), "dtype": "float32",
                           "byte_order": "little", "file": f"{base}.{name}.bin"})
        return listed

    spec = {"model": f"{base}.onnx", "opset": OPSET, "tolerance": TOLERANCE,
            "inputs": entries(inputs), "outputs": entries({"depth": output})}
    with open(f"{stem}.io.json", "w") as f:
        f.write(_one_tensor_per_line(spec))
    return f"{stem}.io.json"


def _one_tensor_per_line(spec: dict) -> str:
    """Valid JSON with every tensor entry on a line of its own, easy to read by eye and by simple parsers."""
    head = ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in spec.items() if not isinstance(v, list))
    lists = ",\n".join(f" {json.dumps(k)}: [\n" + ",\n".join("  " + json.dumps(t) for t in v) + "\n ]"
                        for k, v in spec.items() if isinstance(v, list))
    return "{\n" + head + ",\n" + lists + "\n}\n"


def export_with_card(model: nn.Module, kind: str, models_dir: str, name: str, training: Optional[dict]) -> str:
    path = os.path.join(models_dir, f"{name}.onnx")
    export_onnx(model, kind, path)
    return write_model_card(path, model, kind, training)
