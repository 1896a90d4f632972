"""Times a shipped ONNX model through ONNX Runtime, batch 1 and batched, on CUDA or the CPU: issue 16's GPU figure.

The development box has no GPU and its Debian Python has no onnxruntime; the device machine (``device`` tool) has
both. Run there from the repository root::

    python3 -m depthstream_trainer.bench_onnx --model models/fast_interp_x4.onnx --size 640x480 \\
        --batches 1,8,32 --provider cuda --json out/gpu-bench.json

Inputs are synthetic 5 % samples (the fast path) or a smooth low-resolution map (SR), made once per batch size and
bound to the device with I/O binding, so a timed run is the model alone: no host-to-device copy of the input, no
copy back of the output (``--copies`` times them too, as a node would pay them). Prints a markdown table: per batch
size, ms per run (p50, p99), frames per second (batch / mean run time), and the GPU's name.
"""
import argparse
import json
import math
import statistics
import time
from typing import Dict, List, Sequence, Tuple

import numpy as np


def parse_size(text: str) -> Tuple[int, int]:
    """``640x480`` -> (height 480, width 640)."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT, e.g. 640x480; got {text!r}")
    if width <= 0 or height <= 0:
        raise argparse.ArgumentTypeError(f"size must be positive, got {text!r}")
    return height, width


def parse_batches(text: str) -> List[int]:
    try:
        batches = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"batches must be comma-separated integers, got {text!r}")
    if not batches or min(batches) < 1:
        raise argparse.ArgumentTypeError(f"batches must be >= 1, got {text!r}")
    return batches


def synthetic_input(name: str, shape: Sequence[int], seed: int = 1) -> np.ndarray:
    """Channel 0 depth in metres with 5 % of pixels kept and channel 1 its mask (``sparse``), or a smooth map
    (``low_res``)."""
    rng = np.random.default_rng(seed)
    n, _, h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    depth = (2.0 + 1.5 * np.sin(xs / max(w, 1) * 6.0) + ys / max(h, 1)).astype(np.float32)
    if name == "sparse":
        keep = (rng.random((n, h, w)) < 0.05).astype(np.float32)
        return np.stack([depth[None] * keep, keep], axis=1).astype(np.float32)
    return np.broadcast_to(depth, (n, 1, h, w)).copy()


def to_blocks(x: np.ndarray, block: int) -> np.ndarray:
    """[N, C, H, W] -> [N, C b^2, H / b, W / b], PyTorch's ``pixel_unshuffle``: the input of a fast model in block
    layout (``sparse_blocks``, metadata ``depthstream.block_size`` = b) from the plain ``sparse`` input."""
    n, c, h, w = x.shape
    blocks = x.reshape(n, c, h // block, block, w // block, block).transpose(0, 1, 3, 5, 2, 4)
    return np.ascontiguousarray(blocks.reshape(n, c * block * block, h // block, w // block))


def summarise(batch: int, seconds: Sequence[float]) -> Dict[str, float]:
    ms = sorted(1000.0 * s for s in seconds)
    p99 = ms[max(0, math.ceil(0.99 * len(ms)) - 1)]  # nearest rank
    return {"batch": batch, "runs": len(ms), "p50_ms": statistics.median(ms), "p99_ms": p99,
            "fps": batch * 1000.0 / statistics.fmean(ms)}


def table(rows: Sequence[Dict[str, float]], device: str, model: str, size: Tuple[int, int]) -> str:
    lines = [f"{model} at {size[1]}x{size[0]} on {device}", "",
             "| batch | p50 ms per run | p99 ms per run | frames per second |", "|---|---|---|---|"]
    lines += [f"| {r['batch']} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['fps']:.0f} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    import onnxruntime as ort  # only on machines that time models; the box's tests need none of it

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--size", type=parse_size, default=(480, 640), help="WIDTHxHEIGHT of the input (default 640x480)")
    p.add_argument("--batches", type=parse_batches, default=[1, 8, 32])
    p.add_argument("--provider", choices=["cuda", "cpu"], default="cuda")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--copies", action="store_true", help="time host-to-device and back with each run")
    p.add_argument("--json")
    args = p.parse_args()

    providers = ["CUDAExecutionProvider"] if args.provider == "cuda" else ["CPUExecutionProvider"]
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(args.model, options, providers=providers)
    if session.get_providers()[0] != providers[0]:
        raise SystemExit(f"{providers[0]} is not available here (got {session.get_providers()}); "
                         "is this onnxruntime-gpu with CUDA?")
    inp, out = session.get_inputs()[0], session.get_outputs()[0]
    device = "cpu"
    if args.provider == "cuda":
        import torch  # the device machine's PyTorch names the GPU
        device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cuda"
    h, w = args.size
    rows = []
    for batch in args.batches:
        if inp.name == "sparse_blocks":     # block layout: the same 5 % samples, packed as the Java runner packs
            block = int(session.get_modelmeta().custom_metadata_map["depthstream.block_size"])
            x = to_blocks(synthetic_input("sparse", (batch, 2, h, w)), block)
        else:
            x = synthetic_input(inp.name, (batch, 2 if inp.name == "sparse" else 1, h, w))
        binding = session.io_binding()
        ort_device = "cuda" if args.provider == "cuda" else "cpu"
        x_dev = ort.OrtValue.ortvalue_from_numpy(x, ort_device, 0)
        binding.bind_ortvalue_input(inp.name, x_dev)
        binding.bind_output(out.name, ort_device)
        seconds = []
        for i in range(args.warmup + args.runs):
            t0 = time.perf_counter()
            if args.copies:
                x_dev.update_inplace(x)
            session.run_with_iobinding(binding)
            if args.copies:
                binding.copy_outputs_to_cpu()
            else:
                binding.synchronize_outputs()
            if i >= args.warmup:
                seconds.append(time.perf_counter() - t0)
        rows.append(summarise(batch, seconds))
    print(table(rows, device, args.model, args.size))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"model": args.model, "device": device, "provider": args.provider, "size": [w, h],
                       "copies": args.copies, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
