"""What the machine did during the load test: its load average (it is shared) and the CPU time of each part.

CPU time is sampled per process every two seconds and kept after a process ends, so a gunicorn worker
recycled by ``max_requests`` or a database connection closed after ``CONN_MAX_AGE`` still counts.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable

import psutil


def gunicorn_processes(master_pid: int) -> Callable[[], list[psutil.Process]]:
    def find() -> list[psutil.Process]:
        master = psutil.Process(master_pid)
        return [master, *master.children(recursive=True)]

    return find


def postgres_backends(database: str) -> Callable[[], list[psutil.Process]]:
    """The server processes of the connections to ``database`` (their title names it)."""

    def find() -> list[psutil.Process]:
        found = []
        for process in psutil.process_iter(["cmdline"]):
            title = " ".join(process.info["cmdline"] or [])
            if title.startswith("postgres:") and f" {database} " in f"{title} ":
                found.append(process)
        return found

    return find


class Watcher(threading.Thread):
    def __init__(self, groups: dict[str, Callable[[], list[psutil.Process]]], every: float = 2.0):
        super().__init__(daemon=True)
        self.groups, self.every = groups, every
        self.seen: dict[str, dict[int, float]] = {name: {} for name in groups}
        self.baseline: dict[str, float] = {}
        self.load_before = self.load_peak = os.getloadavg()
        self.done = threading.Event()

    def sample(self) -> None:
        for name, find in self.groups.items():
            for process in find():
                with contextlib.suppress(psutil.NoSuchProcess):  # ended between listing and reading
                    self.seen[name][process.pid] = sum(process.cpu_times()[:2])
        load = os.getloadavg()
        if load[0] > self.load_peak[0]:
            self.load_peak = load

    def start(self) -> None:
        self.load_before = self.load_peak = os.getloadavg()
        self.sample()  # less what the processes used before (start-up, imports)
        self.baseline = {name: sum(pids.values()) for name, pids in self.seen.items()}
        super().start()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self.done.set()
        self.join()
        self.sample()

    def cpu_seconds(self, name: str) -> float:
        return sum(self.seen[name].values()) - self.baseline[name]


def loadavg(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)
