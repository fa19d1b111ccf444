"""Run every benchmark, write results/latest.md and results/latest.json, print the table.

Usage: ``make bench`` or ``python -m benchmarks [--diagnose]`` from the repository
root. ``--diagnose`` runs the SQLCipher settings diagnosis even when the insert
target passes (it always runs when it fails). Exit status 1 if a target fails.
"""

import argparse
import os
import sys
import time

from benchmarks import backup, documents, gui, invoicing, report, sqlcipher_overhead, unlock

BUSY_SHARE = 0.10  # share of the machine used by other processes that skews the figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--diagnose", action="store_true", help="always run the SQLCipher settings diagnosis"
    )
    args = parser.parse_args(argv)

    date = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    info = report.machine()
    info["load_average_1min"] = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    foreign = report.ForeignCpu()
    start = time.perf_counter()
    sections = [
        unlock.run(),
        sqlcipher_overhead.run(force_diagnosis=args.diagnose),
        invoicing.run(),
        backup.run(),
        documents.run(),
        gui.run(),
    ]
    info["bench_seconds"] = round(time.perf_counter() - start, 1)
    info["other_processes"] = other = foreign.stop()
    if other is not None and other["other_share_of_capacity"] > BUSY_SHARE:
        sections[-1].findings.append(
            f"Caution: other processes used {other['other_share_of_capacity']:.0%} of the "
            f"{info['cores']} cores during the run; the timings (above all the ratios) are "
            "skewed; run again on an idle machine."
        )
    markdown = report.write(date, info, sections)
    print(markdown, end="")
    print(f"\nWritten to {report.RESULTS_DIR}/latest.md and latest.json")
    failed = any(f.passed is False for s in sections for f in s.figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
