"""The ``invoicevault`` command: the CLI, or the GUI when no command is given.

Qt is imported only when the GUI starts, so scripts using the CLI never load it.
"""

import sys
from pathlib import Path

from app import cli


def start_gui(data_dir: Path, user: str) -> int:
    from ui.main import run_gui

    return run_gui(data_dir, user)


def main() -> int:
    return cli.main(start_gui=start_gui)


if __name__ == "__main__":
    sys.exit(main())
