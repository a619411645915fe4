"""Test-suite environment: offline data, quiet TensorFlow, headless explorers, a fresh data cache.

Set at import time, before pytest-xdist starts workers and before nbval starts kernels, so every
process and kernel of the run inherits it.
"""
import os
import tempfile

os.environ["COURSE_OFFLINE"] = "1"
os.environ["COURSE_HEADLESS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
if not os.environ.get("PYTEST_XDIST_WORKER"):
    # One empty cache per run, shared by the workers: results never depend on a developer's data/.
    os.environ["COURSE_DATA_DIR"] = tempfile.mkdtemp(prefix="course-data-")
