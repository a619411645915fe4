"""Exercises of notebook 08 · Aumentación de datos."""
import numpy as np

from utils.exercises import FunctionExercise, ModelExercise, ValueExercise, layer

# ------------------------------------------------------------------ 1. an augmentation pipeline

FLIP_MODE, ROTATION, ZOOM = "horizontal", 0.1, 0.2

ejercicio_1 = ModelExercise(
    [layer("RandomFlip", mode=FLIP_MODE), layer("RandomRotation", factor=(-ROTATION, ROTATION)),
     layer("RandomZoom", height_factor=ZOOM)],
    title="Ejercicio 1 · Una cadena de aumentación",
    hint=["Tres capas de `keras.layers`, en este orden: `RandomFlip`, `RandomRotation` y `RandomZoom`.",
          "`RandomFlip` voltea en las dos direcciones si no le dices otra cosa: pásale `\"horizontal\"`. "
          "`RandomRotation(0.1)` gira hasta ±0,1 vueltas; Keras lo guarda como `factor=(-0.1, 0.1)`."],
    solution="""
    aumentador = keras.Sequential([
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
        layers.RandomZoom(0.2),
    ])
    ej.ejercicio_1.check(aumentador)
    """,
)

# ------------------------------------------------------------------ 2. a horizontal flip by hand


def flip_horizontal(image):
    """Mirror image left to right: the column axis (1) reversed, for (H, W) and (H, W, C)."""
    return np.asarray(image)[:, ::-1]


_rng = np.random.default_rng(8)
ejercicio_2 = FunctionExercise(
    flip_horizontal,
    [np.arange(12).reshape(3, 4), _rng.integers(0, 256, size=(4, 5)), _rng.integers(0, 256, size=(3, 4, 3))],
    slips=[(lambda image: np.asarray(image)[::-1],
            "eso es un volteo vertical (invierte las filas, eje 0); el horizontal invierte las columnas, eje 1")],
    title="Ejercicio 2 · Un volteo horizontal a mano",
    hint=["Voltear en horizontal es recorrer las **columnas** al revés; las filas no cambian.",
          "En NumPy: `imagen[:, ::-1]`. Sirve igual para una imagen (alto, ancho) que para una (alto, ancho, canales)."],
    solution="""
    def voltear_horizontal(imagen):
        return imagen[:, ::-1]

    ej.ejercicio_2.check(voltear_horizontal)
    """,
)

# ------------------------------------------------------------------ 3. offline vs online: how many distinct images


def distinct_images(originals: int, copies: int, epochs: int) -> tuple[int, int]:
    """(images an offline set holds: originals plus stored copies, distinct images seen online in `epochs`)."""
    return originals * (1 + copies), originals * epochs


OFFLINE_ORIGINALS, OFFLINE_COPIES, ONLINE_EPOCHS = 500, 8, 30

_OFFLINE, _ONLINE = distinct_images(OFFLINE_ORIGINALS, OFFLINE_COPIES, ONLINE_EPOCHS)
ejercicio_3 = ValueExercise(
    (_OFFLINE, _ONLINE),
    slips=[((OFFLINE_ORIGINALS * OFFLINE_COPIES, _ONLINE),
            "el conjunto offline guarda también los originales, no solo las copias"),
           ((_OFFLINE, OFFLINE_ORIGINALS), "online, cada época trae una versión nueva de cada original: "
                                            "multiplica por el número de épocas"),
           ((_OFFLINE, _OFFLINE * ONLINE_EPOCHS), "online no hay copias guardadas: cada época transforma de "
                                                   "nuevo los originales")],
    title="Ejercicio 3 · Offline frente a online",
    hint=["Offline, el conjunto es fijo: los originales más las copias guardadas; en cada época se repite el mismo.",
          "Online, cada época transforma de nuevo cada original: salen versiones distintas en cada época "
          "(con transformaciones continuas, la probabilidad de repetir una es prácticamente 0)."],
    solution="""
    offline = 500 * (1 + 8)  # originales + 8 copias de cada uno
    online = 500 * 30        # una versión nueva de cada original en cada época
    ej.ejercicio_3.check((offline, online))
    """,
)

# ------------------------------------------------------------------ 4. which transformations keep a digit's label

DIGIT_TRANSFORMS = {  # transformation -> does a handwritten digit keep its label?
    "volteo horizontal": False,
    "rotación de ±10°": True,
    "rotación de 180°": False,
    "traslación de 2 píxeles": True,
    "zoom del ±10 %": True,
    "volteo vertical": False,
}

ejercicio_4 = ValueExercise(
    tuple(DIGIT_TRANSFORMS.values()),
    slips=[((True,) * len(DIGIT_TRANSFORMS), "no todas conservan la etiqueta: piensa en un 6 girado 180°")],
    title="Ejercicio 4 · ¿Qué transformaciones respetan un dígito?",
    hint=["Pregúntate si una persona seguiría leyendo el mismo dígito en la imagen transformada.",
          "Un 6 girado 180° se lee como un 9; un 2, un 3 o un 7 volteados ya no son dígitos que alguien escriba así."],
    solution=f"""
    # {', '.join(DIGIT_TRANSFORMS)}
    respuesta = {tuple(DIGIT_TRANSFORMS.values())}
    ej.ejercicio_4.check(respuesta)
    """,
)

# ------------------------------------------------------------------ 5. augmentation inside a model

SIDE, FILTERS, KERNEL, CLASSES = 28, 16, 3, 10
_POOLED = (SIDE - KERNEL + 1) // 2

ejercicio_5 = ModelExercise(
    [layer("RandomRotation", factor=(-0.05, 0.05)), layer("RandomTranslation", height_factor=0.1, width_factor=0.1),
     layer("Conv2D", filters=FILTERS, kernel_size=KERNEL, activation="relu"), layer("MaxPooling2D", pool_size=2),
     layer("Flatten"), layer("Dense", units=CLASSES, activation="softmax")],
    input_shape=(SIDE, SIDE, 1),
    output_shape=(CLASSES,),
    params=(KERNEL * KERNEL * 1 + 1) * FILTERS + (_POOLED * _POOLED * FILTERS + 1) * CLASSES,
    title="Ejercicio 5 · La aumentación dentro del modelo",
    hint=["Las capas de aumentación van al principio, justo después de `keras.Input(shape=(28, 28, 1))`.",
          "`layers.RandomRotation(0.05)`, `layers.RandomTranslation(0.1, 0.1)`, y después "
          "`Conv2D(16, 3, activation=\"relu\")`, `MaxPooling2D(2)`, `Flatten()` y `Dense(10, activation=\"softmax\")`."],
    solution="""
    modelo = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.RandomRotation(0.05),
        layers.RandomTranslation(0.1, 0.1),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    ej.ejercicio_5.check(modelo)
    """,
)
