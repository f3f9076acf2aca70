"""Data hook of the ``cases_worklist_1m`` scenario (see cases_common.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_common

cases_common.main(__file__)
