"""What the evaluation commands (``evaluate_shards``, ``evaluate_focal``) share: the validation frames in order,
the metric columns and the markdown / JSON report."""
import json
import math
from typing import Dict, List, Optional

import torch

from .data import DepthShardDataset, collate

COLUMNS = ["rmse", "mae", "rel", "ssim", "psnr"]


def frame_batches(dataset: DepthShardDataset, size: int, limit: int = 0):
    n = len(dataset) if not limit else min(limit, len(dataset))
    for start in range(0, n, size):
        indices = list(range(start, min(n, start + size)))
        batch = collate([dataset[i] for i in indices])
        batch["index"] = torch.tensor(indices)
        yield batch


def markdown(rows: Dict[str, Dict[str, float]], groups: List[str]) -> str:
    cols = COLUMNS + [f"rmse[{g}]" for g in groups]
    head = ["method"] + [c.replace("rmse[", "RMSE ").rstrip("]") if c.startswith("rmse[") else c for c in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, m in rows.items():
        lines.append("| " + " | ".join([name] + [f"{m[c]:.4g}" if c in m else "" for c in cols]) + " |")
    return "\n".join(lines)


def write_report(out: Optional[str], text: str, rows: Dict[str, Dict[str, float]]) -> None:
    """Prints the markdown report and, with ``out``, writes it there and the rows as JSON next to it (NaN -> null)."""
    print(text, flush=True)
    if out:
        with open(out, "w") as f:
            f.write(text)
        with open(out.rsplit(".", 1)[0] + ".json", "w") as f:
            json.dump({k: {c: (None if isinstance(v, float) and math.isnan(v) else v) for c, v in m.items()}
                       for k, m in rows.items()}, f, indent=1)
