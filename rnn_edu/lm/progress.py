"""A one-line progress display for a long training run, as tqdm draws it.

    lstm H=512 |#######-------------| 1400/4000 updates · 05:12 elapsed · 09:40 left · val 1.712

progress_text(...)       the line itself
Reporter(send, every)    train_lm's `progress=` callback: passes (updates done, latest validation
                         loss) to `send` at most every `every` seconds and at every validation
ProgressLine(stream)     draws lines: on a terminal it redraws one line in place (a carriage
                         return); into a file or pipe (a log, CI) it writes a line only when the
                         validation loss is new, so the log stays short

Time left = elapsed / updates done * updates still to do. Used by scripts/capstone.py
(`make capstone`), whose runs train in worker processes and send their progress to one line.
"""
import sys
import time

WIDTH = 20          # characters of the bar


def clock(seconds):
    """seconds as mm:ss (h:mm:ss from one hour on)."""
    s = int(round(max(seconds, 0.0)))
    h, m = divmod(s, 3600)
    return f"{h}:{m // 60:02d}:{m % 60:02d}" if h else f"{m // 60:02d}:{m % 60:02d}"


def progress_text(label, done, total, elapsed, val=None, extra=None):
    """label |bar| done/total updates · elapsed · time left · val (latest validation loss)."""
    done, total = max(int(done), 0), max(int(total), 1)
    filled = WIDTH * min(done, total) // total
    left = f"{clock(elapsed / done * max(total - done, 0))} left" if done else "--:-- left"
    parts = [f"{label} |{'#' * filled}{'-' * (WIDTH - filled)}| {done}/{total} updates",
             f"{clock(elapsed)} elapsed", left]
    if val is not None:
        parts.append(f"val {val:.3f}")
    if extra:
        parts.append(extra)
    return " · ".join(parts)


class Reporter:
    """progress= callback of train_lm: send(done, latest_val) now and then."""

    def __init__(self, send, every=0.5):
        self.send, self.every, self._last, self._vals = send, every, -1e9, 0

    def __call__(self, hist):
        now, new_val = time.perf_counter(), len(hist.val_loss) != self._vals
        if new_val or now - self._last >= self.every:
            self._last, self._vals = now, len(hist.val_loss)
            self.send(hist.steps, hist.val_loss[-1] if hist.val_loss else None)


class ProgressLine:
    """show(text, new_val): redraw the line (terminal) or append it when new_val (file)."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stdout
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.drawn = False

    def show(self, text, new_val=False):
        if self.tty:
            self.stream.write("\r" + text + "\x1b[K")
            self.drawn = True
        elif new_val:
            self.stream.write(text + "\n")
        self.stream.flush()

    def say(self, text):
        """A line of its own above the progress line (a run finished, a result)."""
        self.stream.write(("\r\x1b[K" if self.drawn else "") + text + "\n")
        self.drawn = False
        self.stream.flush()

    def close(self):
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
