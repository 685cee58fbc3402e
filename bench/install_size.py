"""Disk size of a fresh virtual environment with ashby-agent installed, per extra.

Usage: .venv/bin/python bench/install_size.py [--extras sandbox,store,service] [--keep DIR] [--project DIR]

For each install (the core ``.``, then ``.[extra]`` for each extra asked for) a new venv is made with
the interpreter running this script, ``pip install <spec>`` (not editable: the wheel is built and
installed as a user's ``pip install ashby-agent`` would) runs in it, compiling bytecode as pip does by
default, with its wheel cache off. Every file under the venv is counted once (hard links once,
symlinks as links), by size and by the disk blocks it takes (what ``du`` shows). The floor is a venv
holding only what ``venv`` puts in it (pip, and setuptools on Python 3.11). Sizes are MiB (2**20
bytes). pip uses the configured indexes.
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


def tree_bytes(path: Path) -> tuple[int, int]:
    """Bytes of every file under ``path``, each inode once: their sizes, and the disk they take (as
    ``du`` counts: whole blocks)."""
    seen: set[tuple[int, int]] = set()
    size = disk = 0
    for folder, _, files in os.walk(path):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            size += info.st_size
            disk += info.st_blocks * 512
    return size, disk


def fresh_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin" / "python"


def install(where: Path, spec: str | None, project: Path) -> tuple[float, float, float]:
    """Make a venv at ``where``, install ``spec`` (None: nothing); its MiB (file sizes, disk used) and
    the seconds pip took. pip's cache is not used: a wheel built earlier from another checkout of the
    same version must not stand in for this one."""
    python = fresh_venv(where)
    started = time.perf_counter()
    if spec is not None:
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--no-cache-dir",
                "--disable-pip-version-check",
                spec,
            ],
            check=True,
            cwd=project,
        )
    size, disk = tree_bytes(where)
    return size / MIB, disk / MIB, time.perf_counter() - started


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
        size, disk, seconds = install(base / name, spec, args.project)
        rows.append((label, size, disk))
        print(
            f"{label}: {size:.1f} MiB, {disk:.1f} MiB on disk ({seconds:.0f} s)", file=sys.stderr, flush=True
        )
        if index and args.keep is None:
            subprocess.run(["rm", "-rf", str(base / name)], check=True)
    floor, floor_disk = rows[0][1], rows[0][2]
    print("| install | venv MiB (file sizes) | over the floor | MiB on disk (`du`) | over the floor |")
    print("|---|---|---|---|---|")
    for label, size, disk in rows:
        print(f"| {label} | {size:.1f} | {size - floor:.1f} | {disk:.1f} | {disk - floor_disk:.1f} |")
    if args.keep is None:
        subprocess.run(["rm", "-rf", str(base)], check=True)


if __name__ == "__main__":
    main()
