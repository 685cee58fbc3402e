"""Disk size of a fresh virtual environment with ashby-agent installed, per extra.

Usage: .venv/bin/python bench/install_size.py [--extras sandbox,store,service] [--keep DIR] [--project DIR]

For each install (the core ``.``, then ``.[extra]`` for each extra asked for) a new venv is made with
the interpreter running this script, ``pip install <spec>`` (not editable: the wheel is built and
installed as a user's ``pip install ashby-agent`` would) runs in it with pip's defaults (bytecode
compiled), and every file under the venv is counted once (hard links once, symlinks as links). The floor
is a venv holding only pip. Sizes are MiB (2**20 bytes). pip uses the machine's configured indexes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20


def tree_bytes(path: Path) -> int:
    """Bytes of every file under ``path``, each inode once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            total += info.st_size
    return total


def fresh_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin" / "python"


def install(where: Path, spec: str | None, project: Path) -> tuple[float, float]:
    """Make a venv at ``where``, install ``spec`` (None: nothing); its MiB and the seconds pip took."""
    python = fresh_venv(where)
    started = time.perf_counter()
    if spec is not None:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", spec],
            check=True,
            cwd=project,
        )
    return tree_bytes(where) / MIB, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--extras", default="sandbox,store,service", help="comma-separated extras")
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="the checkout to install (default: this one)"
    )
    parser.add_argument("--keep", type=Path, help="keep the venvs under DIR (the core one is DIR/core)")
    args = parser.parse_args()
    specs: list[tuple[str, str | None]] = [("venv with pip only (floor)", None), ("core: .", ".")]
    specs += [(f".[{extra}]", f".[{extra}]") for extra in args.extras.split(",") if extra]
    base = args.keep or Path(tempfile.mkdtemp(prefix="ashby-install-size-"))
    base.mkdir(parents=True, exist_ok=True)
    rows = []
    for index, (label, spec) in enumerate(specs):
        name = "floor" if spec is None else "core" if spec == "." else spec.strip(".[]")
        size, seconds = install(base / name, spec, args.project)
        rows.append((label, size, seconds))
        print(f"{label}: {size:.1f} MiB ({seconds:.0f} s)", file=sys.stderr, flush=True)
        if index and args.keep is None:
            subprocess.run(["rm", "-rf", str(base / name)], check=True)
    floor = rows[0][1]
    print("| install | venv MiB | over the floor |")
    print("|---|---|---|")
    for label, size, _ in rows:
        print(f"| {label} | {size:.1f} | {size - floor:.1f} |")
    if args.keep is None:
        subprocess.run(["rm", "-rf", str(base)], check=True)


if __name__ == "__main__":
    main()
