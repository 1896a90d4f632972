"""Plain-text progress bar (Debian's python3-tqdm is not installed here, and a bar needs very little).

On a terminal the bar redraws in place; in a log file it prints one line every ``log_every`` percent."""
import sys
import time
from typing import Dict, Optional, TextIO


class ProgressBar:
    def __init__(self, total: int, start: int = 0, width: int = 30, stream: Optional[TextIO] = None,
                 log_every: float = 10.0):
        self.total, self.start, self.width = total, start, width
        self.stream = stream or sys.stdout
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.log_every = log_every
        self.started = time.monotonic()
        self.last_logged_percent = 100.0 * start / total if total else 0.0
        self.drawn = False

    def render(self, done: int, values: Dict[str, float]) -> str:
        fraction = done / self.total if self.total else 1.0
        filled = int(round(fraction * self.width))
        elapsed = time.monotonic() - self.started
        rate = (done - self.start) / elapsed if elapsed > 0 else 0.0
        eta = (self.total - done) / rate if rate > 0 else float("nan")
        shown = " ".join(f"{k}={v:.4g}" for k, v in values.items())
        return (f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} "
                f"{rate:.2f} it/s eta {eta:.0f}s {shown}").rstrip()

    def update(self, done: int, values: Dict[str, float]) -> None:
        line = self.render(done, values)
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
            self.drawn = True
        else:
            percent = 100.0 * done / self.total if self.total else 100.0
            if percent - self.last_logged_percent >= self.log_every or done == self.total:
                self.stream.write(line + "\n")
                self.last_logged_percent = percent
        self.stream.flush()

    def message(self, text: str) -> None:
        """A line of its own (validation results, checkpoints), kept above the bar."""
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False
        self.stream.flush()
