"""Runtime detection with faked Colab / Kaggle, and utils.setup."""
import subprocess
import sys
import types

import pytest

from utils import env


@pytest.fixture
def clean_env(monkeypatch):
    for var in ("COLAB_RELEASE_TAG", "KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_URL_BASE", "COLAB_TPU_ADDR", "TPU_NAME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    return monkeypatch


def test_local_by_default(clean_env):
    assert env.detect_runtime() == "local"


def test_colab_detected_from_its_module(clean_env):
    clean_env.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert env.detect_runtime() == "colab"


def test_kaggle_detected_from_its_environment(clean_env):
    clean_env.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    assert env.detect_runtime() == "kaggle"


def test_colab_detected_from_its_release_tag(clean_env):
    clean_env.setenv("COLAB_RELEASE_TAG", "release-colab_20260101-060000_RC00")
    assert env.detect_runtime() == "colab"


# Kaggle's image is built on Colab's: a Kaggle kernel inherits COLAB_RELEASE_TAG.
KAGGLE_ENVIRONMENTS = [
    {"KAGGLE_KERNEL_RUN_TYPE": "Interactive", "KAGGLE_URL_BASE": "https://www.kaggle.com",
     "COLAB_RELEASE_TAG": "release-colab_20260101-060000_RC00"},
    {"KAGGLE_URL_BASE": "https://www.kaggle.com", "COLAB_RELEASE_TAG": "release-colab_20260101-060000_RC00"},
]


@pytest.mark.parametrize("variables", KAGGLE_ENVIRONMENTS, ids=["run-type", "url-base"])
def test_kaggle_wins_over_the_colab_tag_it_inherits(clean_env, variables):
    for name, value in variables.items():
        clean_env.setenv(name, value)
    assert env.detect_runtime() == "kaggle"


def test_setup_prints_one_spanish_line_and_seeds(clean_env, capsys):
    import numpy as np

    info = env.setup(seed=7)
    first = np.random.rand(3)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Entorno: local · acelerador: CPU")
    assert f"Keras {info.keras}" in out[0] and "semilla 7" in out[0]
    assert info.runtime == "local" and info.accelerator == "CPU" and not info.has_accelerator
    env.setup(seed=7, quiet=True)
    assert np.allclose(first, np.random.rand(3)), "la misma semilla debe repetir los números aleatorios"
    assert capsys.readouterr().out == ""


def test_setup_tunes_the_garbage_collector_but_keeps_it_collecting(clean_env):
    import gc
    import weakref

    before = gc.get_threshold()
    gc.unfreeze()  # an earlier test may have called setup already
    gc.set_threshold(700, 10, 10)  # CPython's defaults
    try:
        env.setup(seed=1, quiet=True)
        assert gc.get_threshold() == env.GC_THRESHOLD and env.GC_THRESHOLD[0] >= 10 * 700
        assert gc.get_freeze_count() > 10_000, "los objetos de las importaciones quedan fuera de los barridos"
        assert gc.isenabled()

        class Node:
            pass

        a, b = Node(), Node()
        a.other, b.other = b, a  # a reference cycle: only the collector can free it
        alive = weakref.ref(a)
        del a, b
        gc.collect()
        assert alive() is None, "los ciclos de referencias se siguen liberando"
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize("runtime, variables, words, other", [
    ("colab", {}, "Cambiar tipo de entorno", "Accelerator"),
    ("kaggle", {"KAGGLE_KERNEL_RUN_TYPE": "Batch"}, "Accelerator", "Cambiar tipo de entorno"),
    ("kaggle", KAGGLE_ENVIRONMENTS[0], "Accelerator", "Cambiar tipo de entorno"),
], ids=["colab", "kaggle", "kaggle-with-colab-tag"])
def test_gpu_advice_names_the_platform(clean_env, capsys, runtime, variables, words, other):
    if runtime == "colab":
        clean_env.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    for name, value in variables.items():
        clean_env.setenv(name, value)
    info = env.setup(seed=1, gpu_helps=True)
    out = capsys.readouterr().out
    assert info.runtime == runtime and "Aviso" in out and words in out and other not in out
    names = {"colab": "Google Colab", "kaggle": "Kaggle"}
    assert out.startswith(f"Entorno: {names[runtime]} ·")
    env.setup(seed=1, gpu_helps=False)
    assert "Aviso" not in capsys.readouterr().out


def test_bad_seed_is_explained():
    with pytest.raises(ValueError, match="entero no negativo"):
        env.setup(seed=-1)
    with pytest.raises(ValueError, match="entero no negativo"):
        env.setup(seed="42")


def test_default_strategy_on_cpu():
    import tensorflow as tf

    strategy = env.distribution_strategy()
    assert strategy.num_replicas_in_sync == 1
    assert strategy is tf.distribute.get_strategy()


def test_import_utils_loads_nothing_heavy(fresh_import):
    """`import utils` stays cheap: neither TensorFlow, Keras nor matplotlib (its time is in `make bench`)."""
    loaded = fresh_import("utils")
    assert not loaded & {"tensorflow", "keras", "matplotlib"}, f"import utils cargó {loaded & {'tensorflow', 'keras', 'matplotlib'}}"


def test_every_submodule_is_an_attribute():
    code = "import utils; print(utils.conv.__name__, utils.credentials.__name__, hasattr(utils, 'nada'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["utils.conv", "utils.credentials", "False"]


def test_tensorflow_imports_without_its_native_notices():
    """TensorFlow writes "oneDNN custom operations are on" to descriptor 2 while loading, before it reads
    its log level; Jupyter would show it in the notebook. Without the redirect the notice is there."""
    quiet = "from utils import env; env.import_tensorflow(); import sys; print('after', file=sys.stderr)"
    loud = "import os; os.environ['TF_ENABLE_ONEDNN_OPTS'] = '1'; import tensorflow"
    environ = {k: v for k, v in __import__("os").environ.items() if not k.startswith("TF_")}
    run = lambda code: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ,
                                      check=True).stderr
    assert "oneDNN" in run(loud)
    err = run(quiet)
    assert "oneDNN" not in err and "absl" not in err and err.strip() == "after"
