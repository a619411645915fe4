"""Exercises of notebook 01 · Imágenes y tensores.

Every expected answer is computed here from the course's photos and formulas, never typed in.
"""
import numpy as np

from utils.data import photo
from utils.exercises import ArrayExercise, FunctionExercise, ValueExercise

# The multi-label classes of the notebook, in alphabetical order.
CLASES = ["agua", "árbol", "bandera", "cielo", "cohete", "edificio", "gato", "persona"]
ASTRONAUT_OBJECTS = {"persona", "bandera", "cohete"}

CAMERA = photo("camera")
CROP = (slice(176, 180), slice(48, 52))  # camara[176:180, 48:52]: the coat against the sky


class _MultiHotExercise(ArrayExercise):
    """A multi-hot vector over `classes`; says which classes are missing or marked by mistake."""

    def __init__(self, classes, present, **kwargs):
        unknown = set(present) - set(classes)
        if unknown:
            raise ValueError(f"present contiene clases que no están en classes: {sorted(unknown)}")
        self.classes = list(classes)
        super().__init__(np.array([float(c in present) for c in classes]), **kwargs)

    def _diagnose(self, answer):
        why = super()._diagnose(answer)
        if why is None or np.shape(answer) != self.expected.shape:
            return why
        got = np.asarray(answer, dtype=float)
        if not np.isin(got, (0, 1)).all():
            return "un vector multi-hot solo contiene 0 (la clase no aparece) y 1 (sí aparece)"
        if got.sum() == 1:
            return "has marcado una sola clase: eso es un vector one-hot; en multi-etiqueta se marcan todas las que aparecen"
        missing = [c for c, g, e in zip(self.classes, got, self.expected) if e and not g]
        extra = [c for c, g, e in zip(self.classes, got, self.expected) if g and not e]
        parts = ([f"faltan {', '.join(missing)}"] if missing else []) + \
                ([f"sobran {', '.join(extra)}"] if extra else [])
        return "; ".join(parts) + " (las posiciones siguen el orden de `ej.CLASES`)"


# ------------------------------------------------------------------ 1 · normalize a crop

ejercicio_1 = ArrayExercise(
    CAMERA[CROP] / 255,
    title="Ejercicio 1 · Normaliza un recorte",
    hint=["Los píxeles de `camera` van de 0 a 255. ¿Entre qué número tienes que dividir para que vayan de 0 a 1?",
          "Recorta con `camara[176:180, 48:52]` y divide el resultado entre 255."],
    solution="""
        camara = utils.data.photo("camera")
        respuesta = camara[176:180, 48:52] / 255
    """,
)

# ------------------------------------------------------------------ 2 · multi-hot label

ejercicio_2 = _MultiHotExercise(
    CLASES, ASTRONAUT_OBJECTS,
    title="Ejercicio 2 · La etiqueta multi-hot del astronauta",
    hint=["Un vector multi-hot tiene una posición por clase, en el orden de `ej.CLASES`: 1 si la clase aparece en la foto, 0 si no.",
          "Recorre `ej.CLASES` y escribe `1.0 if clase in presentes else 0.0`."],
    solution="""
        presentes = {"persona", "bandera", "cohete"}
        respuesta = np.array([1.0 if clase in presentes else 0.0 for clase in ej.CLASES])
    """,
)

# ------------------------------------------------------------------ 3 · a batch from grayscale images


def _to_batch(images):
    return np.asarray(images, dtype=np.float32)[..., np.newaxis] / 255


_BATCH_CASES = [
    np.stack([CAMERA[176:180, 48:52], CAMERA[0:4, 0:4], CAMERA[300:304, 250:254]]),  # 3 images 4×4
    CAMERA[np.newaxis, 100:105, 200:208],                                           # 1 image 5×8
]

ejercicio_3 = FunctionExercise(
    _to_batch, _BATCH_CASES,
    title="Ejercicio 3 · De imágenes sueltas a un lote 4-D",
    hint=["La entrada tiene forma (N, H, W); Keras quiere (N, H, W, C), con C = 1 canal para imágenes en gris.",
          "Añade el eje del canal al final con `imagenes[..., np.newaxis]` (o `np.expand_dims(imagenes, -1)`) "
          "y pasa a decimales en [0, 1] con `.astype('float32') / 255`."],
    solution="""
        def a_lote(imagenes):
            return imagenes[..., np.newaxis].astype("float32") / 255
    """,
)

# ------------------------------------------------------------------ 4 · bounding box of a mask


def _box(mask):
    rows, cols = np.nonzero(mask)
    x, y = int(cols.min()), int(rows.min())
    return x, y, int(cols.max()) - x + 1, int(rows.max()) - y + 1


HORSE = photo("horse") == 0  # the horse silhouette is black on white
_BLOCK = np.zeros((6, 9), dtype=bool)
_BLOCK[1:4, 2:7] = True  # 5 columns wide, 3 rows high, from column 2 and row 1

def _extent(mask):
    """(first column, first row, last column, last row) of the True pixels, last ones included."""
    rows, cols = np.nonzero(mask)
    return int(cols.min()), int(rows.min()), int(cols.max()), int(rows.max())


def _corners(mask):  # (x, y, x_max, y_max): the last column and row, not the size
    return _extent(mask)


def _corners_past(mask):  # (x, y, x + w, y + h): the corner one past the last pixel
    x0, y0, x1, y1 = _extent(mask)
    return x0, y0, x1 + 1, y1 + 1


def _regionprops_order(mask):  # skimage's bbox: (row, column, row past the end, column past the end)
    x0, y0, x1, y1 = _extent(mask)
    return y0, x0, y1 + 1, x1 + 1


def _without_plus_one(mask):  # max − min: one column and one row short
    x0, y0, x1, y1 = _extent(mask)
    return x0, y0, x1 - x0, y1 - y0


def _centre(mask):  # (x + w/2, y + h/2, w, h): the centre instead of the top-left corner
    x, y, w, h = _box(mask)
    return x + w / 2, y + h / 2, w, h


_CORNER_MESSAGE = ("devuelves la esquina final (la última columna y la última fila), no el ancho y el alto: "
                   "w = columna máxima − columna mínima + 1, y lo mismo para h con las filas")

ejercicio_4 = FunctionExercise(
    _box, [_BLOCK, HORSE, HORSE[150:, :200]],
    slips=[
        (_corners, _CORNER_MESSAGE),
        (_corners_past, _CORNER_MESSAGE + " (tu tercer y cuarto valor son x + w e y + h)"),
        (_regionprops_order, "ese es el convenio de `regionprops` (fila mínima, columna mínima, fila máxima + 1, "
                             "columna máxima + 1); aquí se pide (x, y, w, h): columna, fila, ancho y alto"),
        (_without_plus_one, "te falta 1 en el ancho y en el alto: de la columna 2 a la 6 hay 5 columnas, "
                            "6 − 2 + 1; el + 1 cuenta la primera"),
        (_centre, "(x, y) es la esquina superior izquierda de la caja, no su centro"),
    ],
    title="Ejercicio 4 · La caja que rodea una máscara",
    hint=["`filas, columnas = np.nonzero(mascara)` te da las coordenadas de todos los píxeles a True.",
          "x es la columna mínima e y la fila mínima. El ancho cuenta columnas: de la 2 a la 6 hay "
          "6 − 2 + 1 = 5, así que w = máximo − mínimo + 1 (igual para h con las filas)."],
    solution="""
        def caja(mascara):
            filas, columnas = np.nonzero(mascara)
            x, y = columnas.min(), filas.min()
            return x, y, columnas.max() - x + 1, filas.max() - y + 1
    """,
)

# ------------------------------------------------------------------ 5 · memory of a batch

N, SIDE, CHANNELS, FLOAT32_BYTES = 32, 224, 3, np.dtype(np.float32).itemsize
BATCH_BYTES = N * SIDE * SIDE * CHANNELS * FLOAT32_BYTES

ejercicio_5 = ValueExercise(
    BATCH_BYTES,
    slips=[
        (BATCH_BYTES // FLOAT32_BYTES,
         "eso es lo que ocupa en uint8 (1 byte por valor); en float32 cada valor ocupa 4 bytes"),
        (BATCH_BYTES // CHANNELS, "te faltan los 3 canales: cada píxel de una imagen RGB guarda 3 valores"),
        (BATCH_BYTES // N, "eso es lo que ocupa una sola imagen; el lote tiene 32"),
        (BATCH_BYTES * 8, "eso son bits; se piden bytes (1 byte = 8 bits)"),
    ],
    title="Ejercicio 5 · Lo que ocupa un lote",
    hint=["Cuenta los valores del tensor (N, H, W, C) y multiplícalos por lo que ocupa cada uno.",
          "Un float32 ocupa 4 bytes: `np.dtype('float32').itemsize`."],
    solution="""
        respuesta = 32 * 224 * 224 * 3 * np.dtype("float32").itemsize
    """,
)
