"""Shared result types, the machine description and the Markdown/JSON report."""

import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Figure:
    """One measured number; with a ``limit`` it passes when ``value <= limit``."""

    name: str
    value: float
    unit: str
    limit: float | None = None
    target: str = ""
    note: str = ""

    @property
    def passed(self) -> bool | None:
        return None if self.limit is None else self.value <= self.limit

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "info"}[self.passed]


@dataclass
class Section:
    """The figures of one benchmark module plus free-form details for the JSON file."""

    title: str
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "Hardware", "cpu model"):
            return value.strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    conn = sqlcipher3.connect(":memory:")
    try:
        cipher_version = conn.execute("PRAGMA cipher_version").fetchone()[0]
        conn.execute("PRAGMA key = \"x'" + "00" * 32 + "'\"")  # the provider shows once keyed
        provider = conn.execute("PRAGMA cipher_provider").fetchone()
        provider_version = conn.execute("PRAGMA cipher_provider_version").fetchone()
    finally:
        conn.close()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlcipher": cipher_version,
        "sqlite": sqlcipher3.sqlite_version,
        "crypto_provider": provider_version[0] if provider_version else "?",
        "crypto_provider_name": provider[0] if provider else "?",
    }


class ForeignCpu:
    """CPU time used by other processes while the benchmarks ran (Linux /proc/stat).

    Busy time of the whole machine minus our own user+system time: a figure well
    above zero means something else competed for the cores and skewed the timings.
    """

    def __init__(self) -> None:
        self.start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()
        except OSError:
            return None
        user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[1:8])
        busy = (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")
        own = os.times()
        return busy, own.user + own.system + own.children_user + own.children_system, time.time()

    def stop(self) -> dict[str, float] | None:
        end = self._sample()
        if self.start is None or end is None:
            return None
        busy, own, wall = (b - a for a, b in zip(self.start, end, strict=True))
        other = max(busy - own, 0.0)
        cores = os.cpu_count() or 1
        return {
            "other_cpu_seconds": round(other, 1),
            "other_share_of_capacity": round(other / max(wall * cores, 1e-9), 3),
            "own_cpu_seconds": round(own, 1),
        }


def _fmt(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"


def _contention(info: dict[str, Any]) -> str:
    load = info.get("load_average_1min")
    text = "load average (1 min) before the run " + ("?" if load is None else f"{load:.2f}")
    other = info.get("other_processes")
    if other:
        text += (
            f"; CPU used by other processes during the run {other['other_cpu_seconds']} s "
            f"({other['other_share_of_capacity']:.0%} of the machine)"
        )
    return text


def render_markdown(date: str, info: dict[str, Any], sections: list[Section]) -> str:
    lines = [
        "# InvoiceVault benchmarks",
        "",
        f"- Date: {date}",
        f"- Machine: {info['cores']} cores, {info['cpu']}, {info['os']}",
        f"- Python {info['python']}; SQLCipher {info['sqlcipher']} "
        f"(SQLite {info['sqlite']}, crypto {info['crypto_provider']})",
        f"- Run took {info.get('bench_seconds', '?')} s; {_contention(info)}",
        "",
    ]
    for section in sections:
        lines += [
            f"## {section.title}",
            "",
            "| Figure | Value | Unit | Target | Result |",
            "|---|---:|---|---|---|",
        ]
        for fig in section.figures:
            name = f"{fig.name} ({fig.note})" if fig.note else fig.name
            lines.append(
                f"| {name} | {_fmt(fig.value)} | {fig.unit} | {fig.target or '-'} | {fig.verdict} |"
            )
        lines.append("")
        if section.findings:
            lines += [f"- {finding}" for finding in section.findings]
            lines.append("")
    failed = [f.name for s in sections for f in s.figures if f.passed is False]
    lines.append(f"**Overall: {'FAIL (' + ', '.join(failed) + ')' if failed else 'PASS'}**")
    return "\n".join(lines) + "\n"


def write(date: str, info: dict[str, Any], sections: list[Section]) -> str:
    """Write results/latest.md and results/latest.json; return the Markdown."""
    RESULTS_DIR.mkdir(exist_ok=True)
    markdown = render_markdown(date, info, sections)
    doc = {
        "date": date,
        "machine": info,
        "sections": [
            {
                "title": s.title,
                "figures": [{**asdict(f), "result": f.verdict} for f in s.figures],
                "details": s.details,
                "findings": s.findings,
            }
            for s in sections
        ],
    }
    for name, text in (
        ("latest.md", markdown),
        ("latest.json", json.dumps(doc, indent=2) + "\n"),
    ):
        tmp = RESULTS_DIR / f"{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(RESULTS_DIR / name)
    return markdown
