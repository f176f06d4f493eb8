"""What every e3ne benchmark shares: where results go, what machine they came from, the JSON writer.

The benchmark scripts are run as ``python benchmarks/<name>.py``, so this folder is on
``sys.path`` and they import this module by its plain name.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
import platform
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

RESULTS = Path(__file__).resolve().parent / "results"
"""JSON and plots land here, next to the scripts."""

REPO = Path(__file__).resolve().parent.parent

console = Console()


def quiet_warnings() -> None:
    """torch.export's deprecation chatter would tear through the progress bars (pytest ignores it too)."""
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+dirty" if dirty else head


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine(packages: tuple[str, ...] = ("e3ne", "xdsl", "numpy", "torch")) -> dict[str, Any]:
    """The run's date and machine, for the JSON and the README."""
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_1min": os.getloadavg()[0],
        "commit": _git_commit(),
        "packages": {name: _version(name) for name in packages},
    }


def _busy_seconds() -> float | None:
    """CPU seconds all processes have used since boot (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    times = os.times()
    return times.user + times.system


@dataclass
class Contention:
    """How much of the machine other processes used while a benchmark ran.

    Timings on 2 cores are only meaningful on an otherwise quiet machine: torch's OpenMP
    workers in particular stall for whole scheduler slices when another process holds a core.
    """

    wall: float = 0.0
    others: float | None = None
    """CPU time of other processes / (wall time x cores); None where /proc/stat is missing."""
    _busy: float | None = None
    _own: float = 0.0
    _started: float = 0.0

    def __enter__(self) -> Contention:
        self._busy, self._own, self._started = _busy_seconds(), _own_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._started
        busy = _busy_seconds()
        if busy is not None and self._busy is not None and self.wall > 0:
            other = busy - self._busy - (_own_seconds() - self._own)
            self.others = max(other, 0.0) / (self.wall * (os.cpu_count() or 1))

    def report(self) -> dict[str, float | None]:
        return {"wall_seconds": self.wall, "other_processes_cpu_share": self.others}

    def warn(self, limit: float = 0.05) -> None:
        if self.others is not None and self.others > limit:
            console.print(
                f"[bold yellow]warning: other processes used {self.others:.0%} of the machine during this run; "
                "timings are not representative (run on a quiet machine)[/]"
            )


def write_json(name: str, payload: dict[str, Any]) -> Path:
    """Write ``results/<name>.json`` and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def shown(path: Path) -> str:
    """A path as the user typed it: relative to the repository when inside it."""
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)
