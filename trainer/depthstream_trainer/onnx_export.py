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
import re
import warnings
from typing import Dict, List, Optional

import numpy as np
import onnx
from onnx import numpy_helper
import torch
from torch import nn

from .fast_interp import BLOCK_SIZE_KEY, INPUT_MULTIPLE_KEY, KEEP_SAMPLES_KEY, FastInterpNet, pad_input
from .model_card import write_model_card
from .models import build_model, input_multiple
from .refine_head import RefinedFastNet

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
    # the fast net in block layout (``block_io``): low-resolution h = H / b, w = W / b
    "fast_blocks": {"sparse_blocks": {0: "N", 2: "h", 3: "w"}, "depth_blocks": {0: "N", 2: "h", 3: "w"}},
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


def export_onnx(model: nn.Module, kind: str, path: str, inputs: Optional[Dict[str, torch.Tensor]] = None,
                block_io: bool = False) -> str:
    """Export ``model`` (moved to CPU, eval mode) to ``path``, check it with onnx.checker and write the test
    I/O next to it. Returns the path of the .io.json.

    ``block_io`` (fast net only): input and output in block layout (``FastInterpNet.block_io``, BLOCK_SIZE_KEY in
    the metadata): input ``sparse_blocks`` = pixel_unshuffle of the ``sparse`` input, output ``depth_blocks`` =
    the output before its pixel shuffle; the test I/O stores those tensors."""
    model = model.cpu().eval()
    inputs = inputs or example_inputs(kind, model)
    blocks = block_io and isinstance(model, FastInterpNet) and model.config.downscale > 1
    if block_io and not blocks:
        raise ValueError("block_io needs a fast net with downscale > 1")
    if blocks:
        inputs = {"sparse_blocks": torch.nn.functional.pixel_unshuffle(inputs["sparse"], model.config.downscale)}
    names = list(inputs)
    output_name = "depth_blocks" if blocks else "depth"
    options = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False   # PyTorch 2.x: keep the TorchScript exporter (dynamic_axes, same graph)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    # The fast net exports its ONNX Runtime-friendly layout (FastInterpNet.export_layout): keep_samples (a
    # full-resolution Where) goes to the runner, which copies every pixel anyway; the metadata tells it to, and
    # the stored output is the graph's own.
    fast = isinstance(model, (FastInterpNet, RefinedFastNet))
    runner_keeps = fast and (model.keep_samples if isinstance(model, RefinedFastNet) else model.config.keep_samples)
    if fast:
        model.export_layout = True
        model.block_io = blocks
    try:
        output = _export(model, path, inputs, names, "fast_blocks" if blocks else kind, output_name, options)
    finally:
        if fast:
            model.export_layout = False
            model.block_io = False
    graph = onnx.load(path)
    props = {}
    multiple = input_multiple(model)
    if multiple > 1:
        # The Java runner reads this to pad the input (zeros = no measurement) and crop the output.
        props[INPUT_MULTIPLE_KEY] = str(multiple)
    if runner_keeps:
        props[KEEP_SAMPLES_KEY] = "1"
    if blocks:
        props[BLOCK_SIZE_KEY] = str(model.config.downscale)
    if props:
        onnx.helper.set_model_props(graph, props)
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
            "inputs": entries(inputs), "outputs": entries({output_name: output})}
    with open(f"{stem}.io.json", "w") as f:
        f.write(one_tensor_per_line(spec))
    return f"{stem}.io.json"


def _export(model: nn.Module, path: str, inputs: Dict[str, torch.Tensor], names: List[str], axes: str,
            output_name: str, options: dict) -> torch.Tensor:
    """torch.onnx.export of ``model`` to ``path``; returns the model's output on ``inputs``."""
    with torch.no_grad(), warnings.catch_warnings():
        # torch 1.13 warns about LSTM batch sizes (the initial state is built from the input's shape, so any
        # batch works), about shape inference of constants and about nn.LSTM's Python-side size checks;
        # none affects the exported graph (the export tests check dynamic dims and outputs).
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)   # nn.LSTM's own input-size checks
        torch.onnx.export(model, tuple(inputs.values()), path, opset_version=OPSET, input_names=names,
                          output_names=[output_name], dynamic_axes=DYNAMIC_AXES[axes], do_constant_folding=True,
                          **options)
        return model(*inputs.values())


def one_tensor_per_line(spec: dict) -> str:
    """Valid JSON with every tensor entry on a line of its own, easy to read by eye and by simple parsers."""
    head = ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in spec.items() if not isinstance(v, list))
    lists = ",\n".join(f" {json.dumps(k)}: [\n" + ",\n".join("  " + json.dumps(t) for t in v) + "\n ]"
                        for k, v in spec.items() if isinstance(v, list))
    return "{\n" + head + ",\n" + lists + "\n}\n"


def load_onnx_weights(model: nn.Module, path: str, allow_missing: bool = False) -> List[str]:
    """Loads ``model``'s parameters from an ONNX file this module exported from the same architecture, so a
    model can be re-exported (another graph layout, the same weights) without its training checkpoint.

    Initializers keep their ``state_dict`` names at export, except weights the export folded with constants; those
    are read from the weight input of the graph's node ``/<module path>/<op>`` and unfolded: the fast net's patch
    embedding (the masked ``weight * mask`` [2c, 2, s, s], or, in the current layout, the fused [c, 2, s, s] of
    ``PatchEmbedding.forward``) and its 2x sub-pixel block (in the current layout one ConvTranspose whose last input
    row is the bias, ``PixelShuffleUpsample.as_transposed_conv``); an LSTM's from its node's W, R, B inputs
    (``_lstm_weights``).

    With ``allow_missing``, parameters the file lacks (a part added to the architecture since) keep the model's
    values; returns their names.
    """
    graph = onnx.load(path).graph
    initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    node_weights = {n.name: initializers.get(n.input[1]) for n in graph.node if n.op_type == "Conv"}
    # the transposed sub-pixel blocks, as (1x1 weight, bias) pairs (their nodes are named by op only)
    subpixel = [_subpixel_from_transposed(initializers[n.input[1]]) for n in graph.node
                if n.op_type == "ConvTranspose" and n.input[1] in initializers]
    expected = model.state_dict()
    lstm_weights = _lstm_weights(graph, initializers)
    state, missing = {}, []
    for key, value in expected.items():
        module, _, leaf = key.rpartition(".")
        node = "/" + module.replace(".", "/")
        array = initializers.get(key, lstm_weights.get(key))
        if array is None and leaf == "weight" and node_weights.get(node + "/Conv") is not None:
            array = _unfused_patch_embedding(node_weights[node + "/Conv"], tuple(value.shape))
        if array is None and leaf in ("weight", "bias"):
            other = expected.get(module + (".bias" if leaf == "weight" else ".weight"))
            pair_shapes = (tuple(value.shape), tuple(other.shape)) if leaf == "weight" else (
                tuple(other.shape) if other is not None else None, tuple(value.shape))
            matches = [p for p in subpixel if (p[0].shape, p[1].shape) == pair_shapes]
            if len(matches) == 1:
                array = matches[0][0] if leaf == "weight" else matches[0][1]
        if array is None and allow_missing:
            missing.append(key)
            state[key] = value
            continue
        if array is None:
            raise ValueError(f"{path}: no initializer for parameter {key!r}")
        if tuple(array.shape) != tuple(value.shape):
            raise ValueError(f"{path}: {key!r} has shape {array.shape} in the file, {tuple(value.shape)} in the model")
        state[key] = torch.from_numpy(np.array(array, dtype=np.float32))
    model.load_state_dict(state)
    return missing


# ONNX orders an LSTM's gates i, o, f, c; PyTorch i, f, g (= c), o: PyTorch's gate k is ONNX's gate _ONNX_GATE[k]
_ONNX_GATE = (0, 2, 3, 1)


def _torch_gate_order(array: np.ndarray) -> np.ndarray:
    """Rows of the four ONNX gate blocks of ``array`` in PyTorch's order."""
    blocks = np.split(array, 4)
    return np.concatenate([blocks[k] for k in _ONNX_GATE])


def _lstm_weights(graph, initializers: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """The ``state_dict`` entries (``<module>.weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``) of
    each one-layer, one-direction LSTM node ``/<module>/LSTM``: the export renames its weights to the node's
    inputs W [1, 4h, in], R [1, 4h, h], B [1, 8h] (input biases, then recurrent) and reorders the gates."""
    weights = {}
    for node in graph.node:
        if node.op_type != "LSTM" or len(node.input) < 4:
            continue
        module = node.name.strip("/").rpartition("/")[0].replace("/", ".")
        w, r, b = (initializers.get(name) for name in node.input[1:4])
        if w is None or r is None or b is None or w.shape[0] != 1:
            continue
        hidden4 = w.shape[1]
        weights[f"{module}.weight_ih_l0"] = _torch_gate_order(w[0])
        weights[f"{module}.weight_hh_l0"] = _torch_gate_order(r[0])
        weights[f"{module}.bias_ih_l0"] = _torch_gate_order(b[0, :hidden4])
        weights[f"{module}.bias_hh_l0"] = _torch_gate_order(b[0, hidden4:])
    return weights


def folded_conv_weight_shapes(path: str) -> List[tuple]:
    """Shapes of the weights of an ONNX file's Conv nodes that read a weight initializer, in graph order (what
    ``load_folded_conv_weights`` loads): an SR generator's first entry is (width, 1, k, k)."""
    graph = onnx.load(path).graph
    shapes = {t.name: tuple(t.dims) for t in graph.initializer}
    return [shapes[n.input[1]] for n in graph.node if n.op_type == "Conv" and n.input[1] in shapes]


def load_folded_conv_weights(model: nn.Module, path: str) -> None:
    """Loads a batch-norm-free ``model`` from an ONNX file exported from the same architecture *with* batch norm:
    the export folds every BatchNorm into the convolution before it, so the file holds one (weight, bias) per Conv
    and the function equals the BN-free net with those weights (eval mode). The model's ``nn.Conv2d`` modules, in
    module order, are matched one to one with the graph's Conv nodes that read a weight initializer, in graph order
    (the SR generator's fixed bicubic Conv reads a constant and is skipped); shapes must agree. This is how a
    shipped SR generator, whose checkpoint was not kept, is fine-tuned (``train_sr --init-onnx``)."""
    graph = onnx.load(path).graph
    initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    folded = [(initializers[n.input[1]], initializers[n.input[2]] if len(n.input) > 2 else None)
              for n in graph.node if n.op_type == "Conv" and n.input[1] in initializers]
    convs = [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    if len(convs) != len(folded):
        raise ValueError(f"{path}: {len(folded)} convolutions with weights, the model has {len(convs)}")
    for (name, conv), (weight, bias) in zip(convs, folded):
        if conv.bias is None or bias is None:
            raise ValueError(f"{path}: {name} needs a bias on both sides (build the model without batch norm)")
        if tuple(weight.shape) != tuple(conv.weight.shape) or tuple(bias.shape) != tuple(conv.bias.shape):
            raise ValueError(f"{path}: {name} has shape {weight.shape} in the file, {tuple(conv.weight.shape)} "
                             "in the model")
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(np.array(weight, dtype=np.float32)))
            conv.bias.copy_(torch.from_numpy(np.array(bias, dtype=np.float32)))


def _unfused_patch_embedding(weight: np.ndarray, shape: tuple) -> np.ndarray:
    """The [2c, 2, s, s] masked weight of a patch embedding from its exported form: itself, the fused
    [c, 2, s, s] (row k = [depth weight k, mask weight k]), or that fused weight as the block layout's 1x1
    [c, 2 s^2, 1, 1] (``PatchEmbedding.forward_blocks``)."""
    if weight.shape == shape or weight.shape[0] * 2 != shape[0]:
        return weight
    c = weight.shape[0]
    if weight.shape[1:] == (2 * shape[2] * shape[3], 1, 1):   # block layout: 1x1 over pixel_unshuffle channels
        weight = weight.reshape(c, 2, shape[2], shape[3])
    unfused = np.zeros(shape, dtype=np.float32)
    unfused[:c, 0], unfused[c:, 1] = weight[:, 0], weight[:, 1]
    return unfused


def _subpixel_from_transposed(weight: np.ndarray):
    """(1x1 conv weight [c r^2, in, 1, 1], bias [c r^2]) of a sub-pixel block from its transposed-convolution
    form [in + 1, c, r, r] (last input row = bias; ``PixelShuffleUpsample.as_transposed_conv``)."""
    with_bias = weight.reshape(weight.shape[0], -1).T
    return with_bias[:, :-1, None, None], with_bias[:, -1]


def export_with_card(model: nn.Module, kind: str, models_dir: str, name: str, training: Optional[dict],
                     block_io: bool = False) -> str:
    path = os.path.join(models_dir, f"{name}.onnx")
    export_onnx(model, kind, path, block_io=block_io)
    return write_model_card(path, model, kind, training, block_io=block_io)


CARD_CONFIG = re.compile(r"## Configuration\s*```json\s*(\{.*?\})\s*```", re.S)


def from_onnx(path: str):
    """(kind, model with the file's weights, training dict for the card) of an ONNX file this trainer exported,
    read with its model card: the configuration from the card's JSON block, the card's sections from
    "## Training" on kept as they are (the weights, hence training and validation, are unchanged)."""
    card_path = os.path.splitext(path)[0] + ".md"
    with open(card_path) as f:
        card = f.read()
    config = CARD_CONFIG.search(card)
    if not config:
        raise SystemExit(f"{card_path}: no '## Configuration' JSON block")
    kind = "fast"   # the only kind whose card layout this reads (its input is `sparse`)
    model = build_model(kind, json.loads(config.group(1)))
    load_onnx_weights(model, path)
    start = card.find("## Training")
    kept = card[start:] if start >= 0 else ""
    return kind, model, {"card_sections": kept}
