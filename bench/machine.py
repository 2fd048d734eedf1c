"""What the machine does meanwhile: CPU seconds of gunicorn, PostgreSQL, the benchmark's
own process and everything else, read from /proc (the standard machine may run other work)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.booking_http import Server


class CpuMeter:
    """CPU seconds spent by gunicorn (master and workers), by PostgreSQL (the postmaster of
    the benchmark's port and its backends) and by this process (the clients), from /proc."""

    def __init__(self, server: Server) -> None:
        from sqlalchemy import make_url

        assert server.process is not None
        port = make_url(os.environ["DATABASE_URL"]).port
        self.groups = {
            "gunicorn": server.process.pid,
            "PostgreSQL": _pid_with(f"-p\0{port}\0", "postgres"),
        }
        self.tick = os.sysconf("SC_CLK_TCK")

    def read(self) -> dict[str, float]:
        usage = {name: self._tree(pid) for name, pid in self.groups.items() if pid}
        times = os.times()
        usage["bench clients"] = times.user + times.system
        # The machine as a whole (user, nice, system, irq, softirq, steal): the rest is
        # other processes, which this machine may be running at the same time.
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
        busy = sum(ticks[i] for i in (0, 1, 2, 5, 6, 7)) / self.tick
        usage["other processes"] = busy - sum(usage.values())
        usage["wall"] = time.perf_counter()
        return usage

    def _tree(self, root: int) -> float:
        """The root and its live children, plus the children it has reaped (a PostgreSQL
        backend or an autovacuum worker that ends between two readings still counts)."""
        total = 0
        for pid, ppid, own, reaped in _processes():
            if pid == root:
                total += own + reaped
            elif ppid == root:
                total += own
        return total / self.tick

    @staticmethod
    def describe(before: dict[str, float], after: dict[str, float]) -> str:
        wall = after["wall"] - before["wall"]
        parts = [
            f"{name} {after[name] - before[name]:.1f} s"
            for name in after
            if name != "wall" and name in before
        ]
        used = sum(after[n] - before[n] for n in after if n != "wall" and n in before)
        return (
            f"CPU over {wall:.1f} s: {', '.join(parts)} = {used / wall:.2f} of "
            f"{os.cpu_count()} cores busy"
        )


def machine_load() -> str:
    """The load average and what other processes took of the CPUs over the last second."""
    stat = Path("/proc/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def busy() -> tuple[float, float]:
        ticks = [int(n) for n in stat.read_text().split("\n")[0].split()[1:9]]
        return sum(ticks[i] for i in (0, 1, 2, 5, 6, 7)) / tick, time.perf_counter()

    (before, began), mine = busy(), os.times()
    time.sleep(1)
    (after, ended), now = busy(), os.times()
    others = (after - before) - (now.user + now.system - mine.user - mine.system)
    one, five, _ = os.getloadavg()
    return (
        f"load average {one:.2f} (1 min) {five:.2f} (5 min); other processes busy "
        f"{others / (ended - began):.2f} of {os.cpu_count()} cores over the last second"
    )


def _processes() -> list[tuple[int, int, int, int]]:
    """(pid, parent pid, own ticks, ticks of the children it reaped) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        own, reaped = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        found.append((int(entry.name), int(fields[1]), own, reaped))
    return found


def _pid_with(argument: str, program: str) -> int | None:
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if program in command.split("\0")[0] and argument in command:
            return int(entry.name)
    return None
