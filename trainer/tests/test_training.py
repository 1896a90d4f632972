import io
import os

import torch

from depthstream_trainer import evaluate_focal, train_fast, train_focal, train_sr
from depthstream_trainer.progress import ProgressBar


def weights(out):
    return torch.load(f"{out}/checkpoint.pt")["models"]["model"]


def test_fast_smoke_training_resumes_exactly(sparse_shards, tmp_path):
    common = ["--smoke", "--data", sparse_shards, "--crop", "16", "16"]
    straight = train_fast.main(common + ["--steps", "4", "--out", str(tmp_path / "straight")])
    assert all(all(v == v for v in h.values()) for h in straight["history"])     # finite (no NaN)
    first = train_fast.main(common + ["--steps", "2", "--out", str(tmp_path / "resumed")])
    assert torch.load(tmp_path / "resumed" / "checkpoint.pt")["step"] == 2 and len(first["history"]) == 1
    resumed = train_fast.main(common + ["--steps", "4", "--resume", "--out", str(tmp_path / "resumed")])
    assert [h["step"] for h in resumed["history"]] == [2, 4]
    a, b = weights(tmp_path / "straight"), weights(tmp_path / "resumed")
    assert all(torch.allclose(a[k].float(), b[k].float(), atol=1e-6) for k in a)
    assert "rmse[uniform:p=0.2]" in resumed["history"][-1]      # per-pattern validation


def test_sr_smoke_selects_loss_weights_and_exports_a_card(dense_shards, tmp_path):
    models = tmp_path / "models"
    result = train_sr.main(["--smoke", "--data", dense_shards, "--crop", "16", "16", "--factor", "4",
                            "--out", str(tmp_path / "sr"), "--select-weights", "--alpha-grid", "0", "0.1",
                            "--beta-grid", "0.001", "--gamma-grid", "0", "--export", "sr_x4",
                            "--models-dir", str(models)])
    assert len(result["selection"]) == 2
    assert result["weights"]["alpha"] == result["selection"][0]["alpha"]
    assert result["selection"][0]["score"] <= result["selection"][1]["score"]
    card = (models / "sr_x4.md").read_text()
    assert '"alpha": %s' % result["weights"]["alpha"] in card and "| rmse |" in card
    assert "**Smoke run**" in card and "## Loss-weight selection" in card
    assert (models / "sr_x4.onnx").exists() and (models / "sr_x4.io.json").exists()


def test_focal_smoke_trains_on_synthesised_stacks(dense_shards, tmp_path):
    result = train_focal.main(["--smoke", "--data", dense_shards, "--crop", "16", "16", "--layers", "32",
                               "--out", str(tmp_path / "focal")])
    last = result["history"][-1]        # smoke: max_stack 2, so the validation stacks are T = 2
    assert last["rmse@T2"] < 20 and {"dff_rmse@T2", "dff_rel@T2", "const_rmse", "const_rel"} <= set(last)
    state = torch.load(tmp_path / "focal" / "checkpoint.pt")
    assert state["kind"] == "focal" and state["step"] == 4
    out = tmp_path / "focal-eval.md"
    rows = evaluate_focal.main(["--data", dense_shards, "--checkpoint", str(tmp_path / "focal" / "checkpoint.pt"),
                                "--stacks", "1", "3", "--out", str(out)])
    assert len(rows) == 6 and all(m["rmse"] > 0 for m in rows.values())
    assert "depth from focus, T = 3" in out.read_text() and "training median" in out.read_text()


def test_progress_bar_logs_lines_when_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(total=4, stream=stream, log_every=50)
    for done in range(1, 5):
        bar.update(done, {"loss": 0.5})
    bar.message("val step 4: rmse=1")
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[" + "#" * 15 + "." * 15 + "] 2/4") and "loss=0.5" in lines[0]
    assert lines[1].startswith("[" + "#" * 30 + "] 4/4")
    assert lines[2] == "val step 4: rmse=1"


def test_finish_runs_saves_and_exports_what_the_run_describes(tmp_path):
    from depthstream_trainer.config import FastInterpConfig, TrainConfig
    from depthstream_trainer.fast_interp import FastInterpNet
    from depthstream_trainer.training import TrainingRun, finish

    model = FastInterpNet(FastInterpConfig(width=16))
    optimizer = torch.optim.Adam(model.parameters())
    train = TrainConfig(out=str(tmp_path / "run"), steps=3, val_every=2, checkpoint_every=2)
    (tmp_path / "run").mkdir()
    extra = {"mse": 1.0}
    run = TrainingRun("fast", {"model": model}, {"model": optimizer}, FastInterpConfig(width=16), train, extra)
    extra["added_later"] = 7                      # the dict is saved as it is at each checkpoint
    steps = []
    history = finish(run, 1, [{"step": 1, "rmse": 9.0}], lambda s: steps.append(s) or {"loss": 0.5},
                     lambda: {"rmse": 0.25}, export="f", models_dir=str(tmp_path / "models"))
    assert steps == [1, 2] and [h["step"] for h in history] == [1, 2, 3]
    state = torch.load(tmp_path / "run" / "checkpoint.pt")
    assert state["step"] == 3 and state["kind"] == "fast" and state["extra"] == {"mse": 1.0, "added_later": 7}
    assert state["model_config"]["width"] == 16 and state["history"] == history
    card = (tmp_path / "models" / "f.md").read_text()
    assert "- steps: 3," in card and "added_later" in card and "| rmse | 0.25 |" in card
    assert (tmp_path / "models" / "f.onnx").is_file() and (tmp_path / "models" / "f.io.json").is_file()
    # no export name: checkpoints only
    train.out = str(tmp_path / "plain")
    (tmp_path / "plain").mkdir()
    finish(run, 0, [], lambda s: {"loss": 0.5}, lambda: {"rmse": 0.25})
    assert (tmp_path / "plain" / "checkpoint.pt").is_file()
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["f.depth.bin", "f.io.json", "f.md", "f.onnx",
                                                                       "f.sparse.bin"]


def test_smoke_exports_default_to_test_models_and_real_runs_to_models(tmp_path):
    import argparse
    from depthstream_trainer.config import TrainConfig
    from depthstream_trainer.training import add_common_arguments, train_config_from_args
    parser = argparse.ArgumentParser()
    add_common_arguments(parser, TrainConfig())
    smoke = parser.parse_args(["--smoke", "--out", str(tmp_path / "smoke")])
    train_config_from_args(smoke, sparse=True)
    real = parser.parse_args(["--data", str(tmp_path)])
    train_config_from_args(real, sparse=True)
    chosen = parser.parse_args(["--smoke", "--out", str(tmp_path / "s2"), "--models-dir", str(tmp_path / "m")])
    train_config_from_args(chosen, sparse=True)
    assert os.path.basename(os.path.normpath(smoke.models_dir)) == "test-models"
    assert os.path.basename(os.path.normpath(real.models_dir)) == "models"
    assert chosen.models_dir == str(tmp_path / "m")
