"""Exercises of notebook 00 · Entorno.

Every one can be checked on a laptop without a GPU: the checkers try the student's functions on the
environments of Colab, Kaggle and a TPU written as lists of names, never on the machine's own.
"""
import os

from utils.exercises import FunctionExercise, ValueExercise

KAGGLE_MARK, COLAB_MARK = "KAGGLE_KERNEL_RUN_TYPE", "COLAB_RELEASE_TAG"

# ------------------------------------------------------------------ 1 · where does the notebook run?


def _runtime(variables) -> str:
    """Kaggle first: its image is built on Colab's, so a Kaggle kernel also has COLAB_RELEASE_TAG."""
    if KAGGLE_MARK in variables:
        return "kaggle"
    if COLAB_MARK in variables:
        return "colab"
    return "local"


_RUNTIME_CASES = [
    [],
    ["HOME", "PATH", "LANG"],
    ["HOME", COLAB_MARK, "PATH"],
    [KAGGLE_MARK, "HOME", "PATH"],
    [COLAB_MARK, KAGGLE_MARK, "HOME", "PATH"],  # a Kaggle kernel: both marks
    ["HOME", "KAGGLE_USERNAME", "KAGGLE_KEY"],  # a laptop with Kaggle credentials
]

ejercicio_1 = FunctionExercise(
    _runtime, [(case,) for case in _RUNTIME_CASES],
    slips=[
        (lambda variables: "colab" if COLAB_MARK in variables else "kaggle" if KAGGLE_MARK in variables else "local",
         "en Kaggle también existe COLAB_RELEASE_TAG (su imagen se construye a partir de la de Colab), así que "
         "preguntar primero por Colab confunde Kaggle con Colab: comprueba Kaggle antes"),
        (lambda variables: "kaggle" if any("KAGGLE" in name for name in variables)
         else "colab" if COLAB_MARK in variables else "local",
         "KAGGLE_USERNAME y KAGGLE_KEY son credenciales, que también puedes tener en tu ordenador: lo que dice "
         "que estás en Kaggle es la variable KAGGLE_KERNEL_RUN_TYPE, no cualquier nombre con «KAGGLE»"),
        (lambda variables: _runtime(os.environ),
         "tu función responde lo mismo con cualquier lista: ¿miras `os.environ` en vez de su argumento? "
         "Usa `variables`, para que `check` pueda probarla con los entornos de Colab y de Kaggle"),
    ],
    title="Ejercicio 1 · ¿Colab, Kaggle o tu ordenador?",
    hint=["`\"COLAB_RELEASE_TAG\" in variables` dice si una variable está definida (sirve con una lista y con "
          "`os.environ`). Devuelve exactamente `\"kaggle\"`, `\"colab\"` o `\"local\"`, en minúsculas.",
          "El orden de las preguntas importa: en Kaggle están las dos variables, así que pregunta primero por "
          "`KAGGLE_KERNEL_RUN_TYPE`, después por `COLAB_RELEASE_TAG` y, si no hay ninguna, es `\"local\"`."],
    solution="""
        def entorno(variables):
            if "KAGGLE_KERNEL_RUN_TYPE" in variables:
                return "kaggle"
            if "COLAB_RELEASE_TAG" in variables:
                return "colab"
            return "local"
    """,
)

# ------------------------------------------------------------------ 2 · the mode of kaggle.json

KAGGLE_JSON_MODE = 0o600  # read (4) + write (2) for the owner; nothing for the group nor the others


def _permissions(digit: int) -> str:
    """'leer y escribir', 'nada'... for one octal digit of a file mode."""
    names = [name for bit, name in ((4, "leer"), (2, "escribir"), (1, "ejecutar")) if digit & bit]
    return " y ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or "nada"


class _ModeExercise(ValueExercise):
    """A file mode: a wrong one is read back digit by digit (owner, group, others) in octal."""

    def _diagnose(self, answer):
        why = super()._diagnose(answer)
        if why is None or isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= 0o777:
            return why
        owner, group, others = (answer >> 6) & 7, (answer >> 3) & 7, answer & 7
        return (f"tu modo es 0o{answer:03o} en octal (dueño: {_permissions(owner)}; grupo: {_permissions(group)}; "
                f"los demás: {_permissions(others)}); se pide que solo tú, el dueño, puedas leer y escribir el archivo")


ejercicio_2 = _ModeExercise(
    KAGGLE_JSON_MODE,
    slips=[
        (600, "600 sin el prefijo `0o` es el número decimal seiscientos (0o1130 en octal), no las cifras "
              "6-0-0 de los permisos: escríbelo en octal, `0o600`"),
        (0o644, "con 0o644 tu grupo y los demás usuarios de la máquina pueden leerlo (el 4 de la segunda y la "
                "tercera cifra es «leer»): nadie más que tú debe poder leer tu token"),
        (0o640, "con 0o640 tu grupo puede leerlo (el 4 de la segunda cifra): la segunda y la tercera cifra "
                "deben ser 0"),
        (0o666, "0o666 deja leer y escribir el archivo a cualquier usuario de la máquina: la segunda y la "
                "tercera cifra deben ser 0"),
        (0o700, "el 7 incluye ejecutar (1), que un archivo de datos no necesita: tú solo lees y escribes, 4 + 2"),
        (0o400, "con 0o400 solo puedes leerlo: ni tú podrías reescribirlo al renovar el token; la cifra del "
                "dueño es leer y escribir, 4 + 2"),
    ],
    title="Ejercicio 2 · Los permisos de kaggle.json",
    hint=["Son tres cifras en octal: la tuya (el dueño), la de tu grupo y la de los demás. Cada cifra suma "
          "4 (leer), 2 (escribir) y 1 (ejecutar).",
          "Tú lees y escribes (4 + 2 = 6); tu grupo y los demás, nada (0). En Python, un número en octal "
          "lleva el prefijo `0o`."],
    solution="""
        modo = 0o600
    """,
)

# ------------------------------------------------------------------ 3 · GFLOP/s of a matrix product


def _gflops(m, k, n, seconds):
    """(m×k)·(k×n): each of the m·n entries of the result takes k products and k sums, 2·m·k·n operations."""
    return 2 * m * k * n / seconds / 1e9


_MATMUL_CASES = [
    (1024, 1024, 1024, 0.018),  # the square product of section 2
    (64, 784, 128, 2e-5),       # a batch of 64 MNIST images through a Dense layer of 128 units
    (4096, 512, 10, 0.001),
    (1, 4096, 4096, 0.0005),    # one example through a wide layer
]

ejercicio_3 = FunctionExercise(
    _gflops, _MATMUL_CASES,
    slips=[
        (lambda m, k, n, s: m * k * n / s / 1e9,
         "cuentas solo los productos, m·k·n; cada producto va seguido de una suma, así que son 2·m·k·n operaciones"),
        (lambda m, k, n, s: 2 * m * n / s / 1e9,
         "m·n es el número de elementos del resultado, pero cada uno cuesta k productos y k sumas: 2·m·k·n en total"),
        (lambda m, k, n, s: 2 * n**3 / s / 1e9,
         "2·n³ solo vale para matrices cuadradas: con una m×k y una k×n son 2·m·k·n operaciones"),
        (lambda m, k, n, s: 2 * m * k * n / s,
         "eso son FLOP/s: un GFLOP/s son 10⁹ FLOP/s, así que divide entre 1e9"),
        (lambda m, k, n, s: 2 * m * k * n * s / 1e9,
         "multiplicas por el tiempo: el rendimiento son operaciones por segundo, así que divide entre `segundos`"),
    ],
    title="Ejercicio 3 · Los GFLOP/s de cualquier producto de matrices",
    hint=["El resultado de (m×k)·(k×n) tiene m·n elementos, y cada uno es la suma de k productos.",
          "Son 2·m·k·n operaciones (k productos y k sumas por elemento); entre los segundos da FLOP/s y entre 1e9 "
          "más, GFLOP/s."],
    solution="""
        def rendimiento(m, k, n, segundos):
            return 2 * m * k * n / segundos / 1e9
    """,
)

# ------------------------------------------------------------------ 4 · how many replicas train in parallel


def _replicas(devices) -> int:
    """As utils.env.distribution_strategy: every TPU core, else every GPU, else the one default device."""
    tpus = sum(":TPU:" in name for name in devices)
    gpus = sum(":GPU:" in name for name in devices)
    return tpus or gpus or 1


_CPU, _GPUS, _TPUS = "/device:CPU:0", [f"/device:GPU:{i}" for i in range(2)], [f"/device:TPU:{i}" for i in range(4)]
_DEVICE_CASES = [[_CPU], [_CPU, _GPUS[0]], [_CPU, *_GPUS], [_CPU, *_TPUS]]

ejercicio_4 = FunctionExercise(
    _replicas, [(case,) for case in _DEVICE_CASES],
    slips=[
        (lambda devices: sum(":GPU:" in d for d in devices),
         "sin aceleradores entrena la CPU, que es 1 réplica (no 0); y cada núcleo de una TPU es una réplica, "
         "igual que cada GPU"),
        (len, "cuentas también la CPU: la CPU coordina, pero no entrena en paralelo con las GPUs o las TPU; "
              "cuenta solo los aceleradores"),
        (lambda devices: sum(":GPU:" in d or ":TPU:" in d for d in devices),
         "sin aceleradores no hay 0 réplicas: entrena la CPU, que es 1 réplica"),
        (lambda devices: max(1, sum(":GPU:" in d for d in devices)),
         "te olvidas de las TPU: cada núcleo de una TPU es una réplica, igual que cada GPU"),
    ],
    title="Ejercicio 4 · ¿Cuántas réplicas entrenan a la vez?",
    hint=["Cuenta cuántos nombres contienen `\":GPU:\"` y cuántos `\":TPU:\"`: "
          "`sum(\":GPU:\" in nombre for nombre in dispositivos)`.",
          "Si hay núcleos de TPU, son ellos; si no, las GPUs; y si no hay ningún acelerador, la CPU: 1 réplica."],
    solution="""
        def replicas(dispositivos):
            tpus = sum(":TPU:" in nombre for nombre in dispositivos)
            gpus = sum(":GPU:" in nombre for nombre in dispositivos)
            if tpus:
                return tpus
            if gpus:
                return gpus
            return 1
    """,
)
