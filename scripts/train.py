"""Rebuild the shipped models (ingest/models/) from ../shared/train and training/annotations, and write the
cross-validation report (training/reports/training.json). Deterministic: the same data and settings give the
same models. Takes about half an hour on two cores.

Run: .venv/bin/python scripts/train.py [--quick]   (--quick: no ablations or learning curve)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from training.train import main


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the ablations and the learning curve")
    main(log, quick=parser.parse_args().quick)
