"""Exercises of notebook 00: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import os

import pytest

from utils.ejercicios import nb00 as ej
from utils.env import detect_runtime
from exercise_checks import right, wrong

KAGGLE, COLAB = "KAGGLE_KERNEL_RUN_TYPE", "COLAB_RELEASE_TAG"


# ------------------------------------------------------------------ 1 · Colab, Kaggle or local


def test_1_reference_agrees_with_utils_on_every_case(monkeypatch):
    for case in ej._RUNTIME_CASES:
        for name in [KAGGLE, COLAB, "KAGGLE_URL_BASE"]:
            monkeypatch.delenv(name, raising=False)
        for name in case:
            if name.startswith(("KAGGLE", "COLAB")):
                monkeypatch.setenv(name, "x")
        assert ej._runtime(case) == detect_runtime(), case


def test_1_runtime_right_with_a_list_and_with_os_environ(run_solution):
    entorno = run_solution(ej.ejercicio_1)["entorno"]
    right(ej.ejercicio_1, entorno)
    assert entorno(os.environ) == ej._runtime(os.environ)
    right(ej.ejercicio_1, lambda variables: "kaggle" if KAGGLE in set(variables)
          else "colab" if COLAB in set(variables) else "local")


def test_1_runtime_slips():
    def colab_first(variables):
        return "colab" if COLAB in variables else "kaggle" if KAGGLE in variables else "local"

    def any_kaggle_name(variables):
        if any(name.startswith("KAGGLE") for name in variables):
            return "kaggle"
        return "colab" if COLAB in variables else "local"

    assert "comprueba Kaggle antes" in wrong(ej.ejercicio_1, colab_first)
    assert "credenciales" in wrong(ej.ejercicio_1, any_kaggle_name)
    assert "os.environ" in wrong(ej.ejercicio_1, lambda variables: ej._runtime(os.environ))
    assert "revisa mayúsculas" in wrong(ej.ejercicio_1, lambda variables: ej._runtime(variables).capitalize())


# ------------------------------------------------------------------ 2 · the mode of kaggle.json


def test_2_mode_right_in_octal_or_decimal(tmp_path, run_solution):
    right(ej.ejercicio_2, run_solution(ej.ejercicio_2)["modo"])
    right(ej.ejercicio_2, 384)
    if os.name == "posix":  # the mode save_kaggle_json gives the file
        from utils.credentials import save_kaggle_json

        save_kaggle_json("ana", "0123456789abcdef0123", folder=tmp_path)
        right(ej.ejercicio_2, (tmp_path / "kaggle.json").stat().st_mode & 0o777)


@pytest.mark.parametrize("mode, diagnosis", [
    (600, "número decimal seiscientos"),
    (0o644, "tu grupo y los demás usuarios de la máquina pueden leerlo"),
    (0o640, "tu grupo puede leerlo"),
    (0o666, "a cualquier usuario de la máquina"),
    (0o700, "incluye ejecutar"),
    (0o400, "solo puedes leerlo"),
    (0o660, "tu modo es 0o660 en octal (dueño: leer y escribir; grupo: leer y escribir; los demás: nada)"),
    (0o755, "(dueño: leer, escribir y ejecutar; grupo: leer y ejecutar; los demás: leer y ejecutar)"),
    ("600", "quita las comillas"),
])
def test_2_mode_slips(mode, diagnosis):
    assert diagnosis in wrong(ej.ejercicio_2, mode)


# ------------------------------------------------------------------ 3 · GFLOP/s


def test_3_gflops_right_and_square_case_matches_section_2(run_solution):
    rendimiento = run_solution(ej.ejercicio_3)["rendimiento"]
    right(ej.ejercicio_3, rendimiento)
    assert rendimiento(1024, 1024, 1024, 0.018) == pytest.approx(2 * 1024**3 / 0.018 / 1e9)


@pytest.mark.parametrize("function, diagnosis", [
    (lambda m, k, n, s: m * k * n / s / 1e9, "cuentas solo los productos"),
    (lambda m, k, n, s: 2 * m * n / s / 1e9, "m·n es el número de elementos del resultado"),
    (lambda m, k, n, s: 2 * n**3 / s / 1e9, "solo vale para matrices cuadradas"),
    (lambda m, k, n, s: 2 * m * k * n / s, "eso son FLOP/s"),
    (lambda m, k, n, s: 2 * m * k * n * s / 1e9, "multiplicas por el tiempo"),
    (lambda m, k, n, s: 2 * m * k * n / s / 1e6, "1000× el esperado"),
])
def test_3_gflops_slips(function, diagnosis):
    assert diagnosis in wrong(ej.ejercicio_3, function)


# ------------------------------------------------------------------ 4 · replicas


def test_4_replicas_right_and_agrees_with_this_machine(run_solution, keras):
    import tensorflow as tf

    from utils.env import distribution_strategy

    replicas = run_solution(ej.ejercicio_4)["replicas"]
    right(ej.ejercicio_4, replicas)
    names = [d.name for d in tf.config.list_logical_devices()]
    assert replicas(names) == distribution_strategy(tf).num_replicas_in_sync


@pytest.mark.parametrize("function, diagnosis", [
    (len, "cuentas también la CPU"),
    (lambda devices: sum(":GPU:" in d or ":TPU:" in d for d in devices), "no hay 0 réplicas"),
    (lambda devices: max(1, sum(":GPU:" in d for d in devices)), "te olvidas de las TPU"),
    (lambda devices: sum("GPU" in d for d in devices), "que es 1 réplica (no 0); y cada núcleo de una TPU"),
])
def test_4_replicas_slips(function, diagnosis):
    assert diagnosis in wrong(ej.ejercicio_4, function)
