"""Runtime detection and the one-call notebook setup (`utils.setup`)."""
from __future__ import annotations

import contextlib
import gc
import importlib
from importlib import import_module
import os
import platform
import sys
from dataclasses import dataclass, field

# TensorFlow reads these when it is first imported: set them before anything imports it.
# Level 3 also hides a harmless C++ error line that Keras's fit prints with op determinism on, and the
# "oneDNN custom operations are on" notice. oneDNN stays on (TensorFlow's default on x86 Linux, set
# explicitly so every platform agrees): the course CNN trains ~25 % faster with it on 2 cores.
_QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "1"}

# Python's cyclic garbage collector rescans the live objects every so many allocations. Building a
# TensorFlow graph allocates hundreds of thousands of small Python objects, and a notebook keeps every
# model it built alive, so with the default thresholds those scans grew to a fifth of notebook 09's time
# in a kernel (97 s → 74 s with the settings below). `setup` freezes what exists after the imports
# (modules that are never freed) and collects less often; reference cycles are still collected.
GC_THRESHOLD = (50_000, 20, 20)

_GPU_ADVICE = {
    "colab": "en Colab: Entorno de ejecución → Cambiar tipo de entorno de ejecución → GPU T4.",
    "kaggle": "en Kaggle: panel derecho → Session options → Accelerator → GPU T4 x2 "
    "(verifica antes tu teléfono en la cuenta).",
    "local": "en local: sin GPU NVIDIA, usa Colab o Kaggle para los cuadernos marcados con GPU.",
}


@dataclass(frozen=True)
class RuntimeInfo:
    """What `utils.setup` found: where we run, on what, with which versions."""

    runtime: str  # "colab" | "kaggle" | "local"
    accelerator: str  # "CPU" | "GPU" | "TPU"
    devices: int
    python: str
    tensorflow: str
    keras: str
    seed: int
    versions: dict = field(default_factory=dict)

    @property
    def has_accelerator(self) -> bool:
        return self.accelerator != "CPU"

    def summary(self) -> str:
        names = {"colab": "Google Colab", "kaggle": "Kaggle", "local": "local"}
        acc = self.accelerator if self.devices <= 1 else f"{self.devices}× {self.accelerator}"
        return (
            f"Entorno: {names[self.runtime]} · acelerador: {acc} · Python {self.python} · "
            f"TensorFlow {self.tensorflow} · Keras {self.keras} · semilla {self.seed}"
        )


def detect_runtime() -> str:
    """Return "colab", "kaggle" or "local" (no TensorFlow needed).

    Kaggle is checked first: its image is built on Colab's, so Kaggle kernels also have
    COLAB_RELEASE_TAG set.
    """
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE") or os.environ.get("KAGGLE_URL_BASE"):
        return "kaggle"
    if "google.colab" in sys.modules or os.environ.get("COLAB_RELEASE_TAG"):
        return "colab"
    return "local"


def detect_accelerator(tf=None) -> tuple[str, int]:
    """Return ("TPU" | "GPU" | "CPU", number of devices)."""
    tf = tf or importlib.import_module("tensorflow")
    if os.environ.get("COLAB_TPU_ADDR") or os.environ.get("TPU_NAME") or tf.config.list_logical_devices("TPU"):
        return "TPU", max(1, len(tf.config.list_logical_devices("TPU")))
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return "GPU", len(gpus)
    return "CPU", 1


def distribution_strategy(tf=None):
    """The `tf.distribute` strategy for this machine: TPU, several GPUs, or the default one."""
    tf = tf or importlib.import_module("tensorflow")
    kind, count = detect_accelerator(tf)
    if kind == "TPU":
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    if kind == "GPU" and count > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


@contextlib.contextmanager
def _native_stderr_to_devnull():
    """File descriptor 2 sent to /dev/null for the duration (Python's own sys.stderr is untouched)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no descriptor 2 (some embedded interpreters)
        saved = None
    if saved is None:
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def import_tensorflow():
    """`import tensorflow`, quietly: the log level and oneDNN set first, and the C++ notices it prints
    while loading ("oneDNN custom operations are on", written before it reads its log level, and which
    Jupyter would show in the notebook) discarded. Python errors still raise as usual."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.update(_QUIET_TF)
    with _native_stderr_to_devnull():
        return importlib.import_module("tensorflow")


def setup(seed: int = 42, *, gpu_helps: bool = False, deterministic: bool = True, quiet: bool = False) -> RuntimeInfo:
    """Seed everything, quiet TensorFlow, detect runtime and accelerator, print one Spanish line.

    `gpu_helps=True` (notebooks that train for a while) adds advice when no accelerator is present.
    Also tunes Python's garbage collector for graph building (see `GC_THRESHOLD`).
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed debe ser un entero no negativo; se recibió {seed!r}")
    tf = import_tensorflow()
    import keras

    tf.get_logger().setLevel("ERROR")
    import_module("utils.plots").use_style()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    runtime = detect_runtime()
    accelerator, devices = detect_accelerator(tf)
    info = RuntimeInfo(
        runtime=runtime,
        accelerator=accelerator,
        devices=devices,
        python=platform.python_version(),
        tensorflow=tf.__version__,
        keras=keras.__version__,
        seed=seed,
        versions=_versions("numpy", "matplotlib", "ipywidgets"),
    )
    if not quiet:
        print(info.summary())
        if gpu_helps and not info.has_accelerator:
            print("Aviso: este cuaderno entrena redes y va más rápido con GPU; " + _GPU_ADVICE[runtime])
    return info


def _versions(*names: str) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found
