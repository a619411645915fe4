"""Test-suite environment: offline data, quiet TensorFlow, headless explorers, a fresh data cache.

Set at import time, before pytest-xdist starts workers and before nbval starts kernels, so every
process and kernel of the run inherits it. The headless values are utils/config.py's HEADLESS_ENV,
the ones `make run` and the Makefile give their kernels too.
"""
import os
import tempfile

from utils.config import HEADLESS_ENV

os.environ["COURSE_OFFLINE"] = "1"
os.environ.update(HEADLESS_ENV)
if not os.environ.get("PYTEST_XDIST_WORKER"):
    # One empty cache per run, shared by the workers: results never depend on a developer's data/.
    os.environ["COURSE_DATA_DIR"] = tempfile.mkdtemp(prefix="course-data-")
