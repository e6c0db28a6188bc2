"""Verification records: on which devices, with which versions, a folder of
snippets last printed exactly what its output files hold.

Each folder of snippets keeps its records in output/verified.json, one per kind
of device (`cpu`, or the GPU's name as torch.cuda.get_device_name() gives it):

    [{"device": "cpu", "torch": "2.13.0", "cuda": null, "python": "3.11.7",
      "date": "2026-11-23", "outputs": "<sha256 of the snippets and outputs>"}]

A GPU's record also names the snippets that put tensors on the GPU
("gpu_examples"); the others ran on that machine's CPU, as a reader's would.

Only a passing test run writes a record (tests/conftest.py). A record names
the snippets and outputs it checked by their digest, so once a snippet or an
output changes, the records made before no longer count until a run renews
them. Standard library only: the tests write these files, the build reads them.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

FILE = Path("output") / "verified.json"


def data_files(folder: Path) -> list[Path]:
    """What a lesson's snippets read: the files beside them (a text, its licence)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".py")


def checked_files(folder: Path) -> list[Path]:
    """The snippets, the data they read, and their outputs."""
    return sorted(p for p in folder.iterdir() if p.is_file()) + sorted((folder / "output").glob("*.txt"))


def digest(folder: Path) -> str:
    """The snippets of a folder, their data and their outputs, as one SHA-256."""
    h = hashlib.sha256()
    for path in checked_files(folder):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def read(folder: Path) -> list[dict]:
    path = folder / FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def current(folder: Path) -> list[dict]:
    """The records that checked the folder's snippets and outputs as they are now: the CPU first."""
    now = digest(folder)
    return sorted((r for r in read(folder) if r["outputs"] == now), key=lambda r: (r["device"] != "cpu", r["device"]))


def stale(folder: Path) -> list[dict]:
    now = digest(folder)
    return [r for r in read(folder) if r["outputs"] != now]


def write(folder: Path, record: dict) -> None:
    """Replace the folder's record for record["device"], keeping the others.
    Written to a temporary file first, so a crash never leaves half a file."""
    records = [r for r in read(folder) if r["device"] != record["device"]] + [record]
    records.sort(key=lambda r: (r["device"] != "cpu", r["device"]))
    path = folder / FILE
    path.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(records, indent=2) + "\n")
    os.replace(tmp, path)
