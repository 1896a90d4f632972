"""Post-training int8 quantization of an exported fast model, in ONNX's QDQ form, for ONNX Runtime's integer
convolutions (VNNI on CPUs that have it).

What is quantized: every convolution whose weight is a named initializer (``<module>.weight``) and whose input
was calibrated. Weights: int8, symmetric, one scale per output channel. Activations: uint8, one scale per tensor,
from the min/max each tensor reached on calibration frames, at each convolution's input and at its output (after
its ReLU when one follows: a uint8 zero point of 0 clips as ReLU does, so ONNX Runtime drops the ReLU). Biases:
int32 at the input scale times the weight scale. ONNX Runtime fuses each DequantizeLinear -> Conv ->
QuantizeLinear into one QLinearConv and each residual Add between quantized tensors into a QLinearAdd.

What stays float: the push-pull prefill, the patch embedding (its weight is folded at export, so it has no
calibrated module), the transposed upsampling, the head and everything after it. ``--exclude`` leaves further
tensors float; the shipped model leaves the head's input and output float (``DEFAULT_EXCLUDE``): the head's output
is a correction in units of the frame's depth scale, which a uint8 step would turn into centimetres.

Calibration runs the PyTorch model with the ONNX file's weights (``onnx_export.from_onnx``) on frames of a shard
directory's TRAINING split only, never on evaluation data. The ONNX tensor of each module is found through the
initializer names, which keep the PyTorch ``state_dict`` names at export.

    # from the plain layout (the shipped file is in block layout since issue 16, session 10; ``export --from-onnx``
    # without ``--block-io`` gives the plain layout of the same weights)
    /usr/bin/python3 -m depthstream_trainer.export --from-onnx ../models/fast_interp_x4.onnx --name fast_interp_x4 \\
        --models-dir /tmp/plain
    /usr/bin/python3 -m depthstream_trainer.quantize_int8 --model /tmp/plain/fast_interp_x4.onnx \\
        --data /work/train-data-fast15/sparse --frames 48 --name fast_interp_x4_int8 --models-dir ../models
"""
import argparse
import hashlib
import json
import os
import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

from .data import DepthShardDataset, read_manifest
from .fast_interp import run_padded
from .onnx_export import from_onnx, one_tensor_per_line, write_tensor

Range = Tuple[float, float]
DEFAULT_EXCLUDE = ("/merge/post/Relu_output_0", "/head/head.0/Conv_output_0")


def calibrate(model: torch.nn.Module, inputs: Iterable[torch.Tensor], graph: onnx.GraphProto) -> Dict[str, Range]:
    """The range of every tensor to quantize, by ONNX tensor name: each calibrated convolution's input and its
    output (its ReLU's output, from 0, when a ReLU follows). ``inputs`` are [1, 2, H, W] fast-model inputs."""
    seen_in: Dict[str, List[float]] = {}
    seen_out: Dict[str, List[float]] = {}

    def widen(table: Dict[str, List[float]], name: str, x: torch.Tensor) -> None:
        lo, hi = table.setdefault(name, [0.0, 0.0])
        table[name] = [min(lo, float(x.min())), max(hi, float(x.max()))]

    hooks = []
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Conv2d):
            hooks.append(module.register_forward_pre_hook(lambda m, i, n=name: widen(seen_in, n, i[0])))
            hooks.append(module.register_forward_hook(lambda m, i, y, n=name: widen(seen_out, n, y)))
    try:
        with torch.no_grad():
            for x in inputs:
                run_padded(model, x)
    finally:
        for h in hooks:
            h.remove()
    initializers = {t.name for t in graph.initializer}
    consumers = _consumers(graph)
    ranges: Dict[str, Range] = {}
    for node in graph.node:
        weight = node.input[1] if node.op_type == "Conv" else ""
        module = weight[:-len(".weight")] if weight.endswith(".weight") and weight in initializers else None
        if module is None or module not in seen_in:
            continue
        ranges[node.input[0]] = tuple(seen_in[module])
        after = consumers.get(node.output[0], [])
        if len(after) == 1 and after[0].op_type == "Relu":
            ranges[after[0].output[0]] = (0.0, seen_out[module][1])
        else:
            ranges[node.output[0]] = tuple(seen_out[module])
    return ranges


def quantize(model: onnx.ModelProto, ranges: Dict[str, Range]) -> onnx.ModelProto:
    """A copy of ``model`` with QDQ around the convolutions whose input has a range (see the module docstring);
    tensors without a range stay float. Metadata (model kind, input multiple, keep-samples) is kept."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    producers = {o: n for n in graph.node for o in n.output}
    added: List[onnx.TensorProto] = []
    activation_qdq: Dict[str, List[onnx.NodeProto]] = {}
    scales: Dict[str, float] = {}
    for tensor, (lo, hi) in ranges.items():
        scale, zero = activation_scale(lo, hi)
        scales[tensor] = scale
        added += [numpy_helper.from_array(np.array(scale, np.float32), tensor + "_scale"),
                  numpy_helper.from_array(np.array(zero, np.uint8), tensor + "_zero")]
        activation_qdq[tensor] = [
            helper.make_node("QuantizeLinear", [tensor, tensor + "_scale", tensor + "_zero"], [tensor + "_q"]),
            helper.make_node("DequantizeLinear", [tensor + "_q", tensor + "_scale", tensor + "_zero"],
                             [tensor + "_dq"])]
    weight_dq: List[onnx.NodeProto] = []
    for node in graph.node:
        if node.op_type != "Conv" or node.input[0] not in ranges or not node.input[1].endswith(".weight") \
                or node.input[1] not in initializers:
            continue
        weight = numpy_helper.to_array(initializers[node.input[1]]).astype(np.float32)
        quantized, weight_scale = quantize_weight(weight)
        name = node.input[1]
        added += [numpy_helper.from_array(quantized, name + "_int8"),
                  numpy_helper.from_array(weight_scale, name + "_scale"),
                  numpy_helper.from_array(np.zeros(len(weight_scale), np.int8), name + "_zero")]
        weight_dq.append(helper.make_node("DequantizeLinear", [name + "_int8", name + "_scale", name + "_zero"],
                                          [name + "_dq"], axis=0))
        inputs = [node.input[0], name + "_dq"]
        if len(node.input) > 2 and node.input[2]:
            bias = numpy_helper.to_array(initializers[node.input[2]]).astype(np.float32)
            bias_scale = (scales[node.input[0]] * weight_scale).astype(np.float32)
            b = node.input[2]
            added += [numpy_helper.from_array(np.round(bias / bias_scale).astype(np.int32), b + "_int32"),
                      numpy_helper.from_array(bias_scale, b + "_scale"),
                      numpy_helper.from_array(np.zeros(len(bias_scale), np.int32), b + "_zero")]
            weight_dq.append(helper.make_node("DequantizeLinear", [b + "_int32", b + "_scale", b + "_zero"],
                                              [b + "_dq"], axis=0))
            inputs.append(b + "_dq")
        del node.input[:]
        node.input.extend(inputs)
    for node in graph.node:     # every consumer reads the dequantized tensor
        for k, name in enumerate(node.input):
            if name in activation_qdq:
                node.input[k] = name + "_dq"
    ordered = list(weight_dq)
    for tensor in activation_qdq:
        if tensor not in producers:     # a graph input
            ordered += activation_qdq[tensor]
    for node in list(graph.node):
        ordered.append(node)
        for out in node.output:
            ordered += activation_qdq.get(out, [])
    del graph.node[:]
    graph.node.extend(ordered)
    used = {name for node in graph.node for name in node.input}
    kept = [t for t in list(graph.initializer) + added if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    return model


def activation_scale(lo: float, hi: float) -> Tuple[float, int]:
    """uint8 affine parameters covering [lo, hi] and 0 (exactly representable, as ONNX requires of padding)."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = max((hi - lo) / 255.0, 1e-8)
    return float(np.float32(scale)), int(min(255, max(0, round(-lo / scale))))


def quantize_weight(weight: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """int8 weights with one symmetric scale per output channel (axis 0), and those scales."""
    scale = np.maximum(np.abs(weight).reshape(weight.shape[0], -1).max(1) / 127.0, 1e-12).astype(np.float32)
    shape = (-1,) + (1,) * (weight.ndim - 1)
    return np.clip(np.round(weight / scale.reshape(shape)), -127, 127).astype(np.int8), scale


def _consumers(graph: onnx.GraphProto) -> Dict[str, List[onnx.NodeProto]]:
    found: Dict[str, List[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            found.setdefault(name, []).append(node)
    return found


def training_inputs(data: str, frames: int, seed: int) -> List[torch.Tensor]:
    """``frames`` whole frames of the shards' training split, drawn with ``seed``, as [1, 2, H, W] inputs."""
    manifest = read_manifest(data)
    crop = (manifest.height // 8 * 8, manifest.width // 8 * 8)
    dataset = DepthShardDataset(data, "train", crop, 8, require_sparse=True)
    picks = np.random.default_rng(seed).choice(len(dataset), min(frames, len(dataset)), replace=False)
    samples = (dataset[int(i)] for i in picks)
    return [torch.cat([s["sparse"], s["mask"]], 0)[None] for s in samples]


def write_files(source: str, model: torch.nn.Module, quantized: onnx.ModelProto, fixture: torch.Tensor,
                models_dir: str, name: str, ranges: Dict[str, Range], excluded: Sequence[str], frames: int,
                data: str, extra: Optional[str] = None) -> str:
    """models_dir/name.onnx, its card (the source card's configuration, then how it was quantized) and its test
    I/O: a training-split crop (``fixture``, [1, 2, H, W]) and the FLOAT model's PyTorch output on it, so the Java
    parity test bounds the int8 error on a frame like those it was calibrated for (within INT8_TOLERANCE_M)."""
    stem = os.path.splitext(source)[0]
    path = os.path.join(models_dir, name + ".onnx")
    onnx.save(quantized, path)
    with torch.no_grad():
        reference = run_padded(model, fixture)
    out_stem = os.path.join(models_dir, name)
    write_tensor(out_stem + ".sparse.bin", fixture.numpy())
    write_tensor(out_stem + ".depth.bin", reference.numpy())
    with open(stem + ".io.json") as f:
        io = json.load(f)
    io["model"] = name + ".onnx"
    io["tolerance"] = INT8_TOLERANCE_M
    for t, array, suffix in ((io["inputs"][0], fixture, "sparse"), (io["outputs"][0], reference, "depth")):
        t["shape"] = list(array.shape)
        t["file"] = f"{name}.{suffix}.bin"
    with open(out_stem + ".io.json", "w") as f:
        f.write(one_tensor_per_line(io))
    with open(stem + ".md") as f:
        card = f.read()
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    # The source card up to its configuration block (what the model is and how it is called), with this file's
    # identity; the source's speed, training and validation sections describe the float model and are left out.
    configuration = card.index("## Configuration")
    head = card[:card.index("```\n", card.index("```json", configuration) + 7) + 4]
    head = head.replace(f"# {os.path.basename(stem)}", f"# {name}", 1)
    head = re.sub(r"\| file \| [^|]*\|", f"| file | {name}.onnx (ONNX opset 17, QDQ int8) |", head)
    head = re.sub(r"\| sha256 \| `[0-9a-f]{64}` \|", f"| sha256 | `{sha}` |", head)
    head = re.sub(r"\| test I/O \| [^|]*\|", f"| test I/O | {name}.io.json (a training-split crop and the float model's "
                  f"PyTorch output on it; tolerance {INT8_TOLERANCE_M} m) |", head)
    with open(out_stem + ".md", "w") as f:
        f.write(head + "\n" + _card_section(os.path.basename(source), ranges, excluded, frames, data))
        if extra:
            with open(extra) as e:
                f.write("\n" + e.read())
    return path


def fixture_crop(frame: torch.Tensor, height: int = 64, width: int = 80) -> torch.Tensor:
    """The top-left ``height x width`` of a [1, 2, H, W] frame: a small test input with the statistics of the
    calibration frames (not the white noise of the float model's fixture, far outside them)."""
    return frame[:, :, :height, :width].contiguous()


# Largest |int8 - float PyTorch| accepted on the stored 56x72 test frame, metres (the parity test's tolerance).
INT8_TOLERANCE_M = 0.05


def _card_section(source: str, ranges: Dict[str, Range], excluded: Sequence[str], frames: int, data: str) -> str:
    lines = [
        "## Quantization\n\n",
        f"Post-training int8 quantization of `{source}` (the same weights) by `depthstream_trainer.quantize_int8`:"
        " int8 weights with one scale per output channel, uint8 activations with one scale per tensor from their"
        f" min/max on {frames} frames of the training split of `{data}` (synthetic shards; no evaluation frame)."
        " The push-pull prefill, the patch embedding, the upsampling and the head stay float"
        f" (left float on purpose: {', '.join(excluded) or 'none'}). The parity test accepts"
        f" {INT8_TOLERANCE_M} m against the float model's PyTorch output on the stored test frame.\n\n",
        "| tensor | calibrated range |\n|---|---|\n"]
    lines += [f"| `{t}` | {lo:.3f} .. {hi:.3f} |\n" for t, (lo, hi) in ranges.items()]
    return "".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="an exported fast model (.onnx with its card and test I/O)")
    parser.add_argument("--data", required=True, help="sparse shard directory; its TRAINING split calibrates")
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--exclude", nargs="*", default=list(DEFAULT_EXCLUDE), help="tensors left float")
    parser.add_argument("--name", required=True, help="file stem of the quantized model in --models-dir")
    parser.add_argument("--models-dir", default=None, help="default: the directory of --model")
    parser.add_argument("--card-extra", help="markdown appended to the card (its measured accuracy and speed)")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = from_onnx(args.model)[1].eval()
    source = onnx.load(args.model)
    ranges = calibrate(model, training_inputs(args.data, args.frames, args.seed), source.graph)
    fixture = fixture_crop(training_inputs(args.data, 1, args.seed + 1)[0])
    ranges = {t: r for t, r in ranges.items() if t not in args.exclude}
    models_dir = args.models_dir or os.path.dirname(os.path.abspath(args.model))
    path = write_files(os.path.abspath(args.model), model, quantize(source, ranges), fixture,
                       models_dir, args.name, ranges, args.exclude, args.frames,
                       args.data, args.card_extra)
    print(f"{path}: {len(ranges)} activation tensors quantized; ranges in its card")


if __name__ == "__main__":
    main()
