"""Exercises of notebook 09 · Transfer learning."""
import math

import numpy as np

from utils.exercises import FunctionExercise, ModelExercise, ThoughtExercise, ValueExercise, layer

FEATURES = 1280      # channels of MobileNetV2's last feature map
DOWNSAMPLING = 32    # five stride-2 stages: 2**5
HEAD_CLASSES = 4


def _preprocess(x):
    """MobileNetV2's preprocessing: pixels 0–255 → [-1, 1]."""
    return np.asarray(x, dtype=np.float64) / 127.5 - 1.0


_rng = np.random.default_rng(9)

ejercicio_1 = FunctionExercise(
    _preprocess,
    slips=[(lambda x: np.asarray(x) / 255, "eso lleva los píxeles a [0, 1]; MobileNetV2 los espera en [-1, 1]")],
    cases=[np.array([0.0, 127.5, 255.0]), _rng.uniform(0, 255, (2, 4, 4, 3)), np.array([[51.0, 204.0]])],
    title="Ejercicio 1 · El preprocesado de MobileNetV2",
    hint=["Divide entre la mitad de 255 y resta 1: 0 → -1, 127,5 → 0, 255 → 1.",
          "`x / 127.5 - 1`"],
    solution="""
        def preprocesar(x):
            return x / 127.5 - 1
    """,
)



def output_shape(side):
    """(height, width, channels) of MobileNetV2's base (include_top=False) for a side×side×3 image."""
    cells = math.ceil(side / DOWNSAMPLING)  # every stride-2 stage pads first: sizes round up
    return (cells, cells, FEATURES)


ejercicio_2 = FunctionExercise(
    output_shape,
    [224, 64, 100, 33, 160],
    slips=[(lambda side: (side // DOWNSAMPLING, side // DOWNSAMPLING, FEATURES),
            "redondeas hacia abajo (`//`): cada reducción de MobileNetV2 rellena antes el borde (padding), "
            "así que el tamaño se redondea hacia arriba, con `math.ceil(lado / 32)`"),
           (lambda side: (math.ceil(side / DOWNSAMPLING), math.ceil(side / DOWNSAMPLING), 3),
            "1 280 canales, no 3: la base termina con 1 280 feature maps, sea cual sea la imagen de entrada"),
           (lambda side: (side / DOWNSAMPLING, side / DOWNSAMPLING, FEATURES),
            "`lado / 32` no siempre es entero: el mapa tiene un número entero de posiciones; redondea hacia "
            "arriba con `math.ceil`")],
    title="Ejercicio 2 · La forma de los feature maps",
    hint=["MobileNetV2 reduce alto y ancho a la mitad cinco veces (2⁵ = 32) y termina con 1 280 canales. "
          "Prueba tu función con la base del cuaderno: `base.output_shape` para IMAGE_SIZE.",
          "Si el lado no es múltiplo de 32, sobra una fila de posiciones: 100 píxeles dan un mapa de 4×4, "
          "no de 3×3. `math.ceil` redondea hacia arriba."],
    solution="""
        import math


        def forma_salida(lado):
            posiciones = math.ceil(lado / 32)
            return (posiciones, posiciones, 1280)


        ej.ejercicio_2.check(forma_salida)
    """,
)

ejercicio_3 = ModelExercise(
    [layer("GlobalAveragePooling2D"), layer("Dropout", rate=0.2),
     layer("Dense", units=HEAD_CLASSES, activation="softmax")],
    input_shape=(3, 3, FEATURES),
    output_shape=(None, HEAD_CLASSES),
    params=FEATURES * HEAD_CLASSES + HEAD_CLASSES,
    title="Ejercicio 3 · Una cabeza para 4 clases",
    hint=["Son tres capas de `keras.layers`, en este orden: la que promedia cada mapa, la que apaga neuronas "
          "y la densa de salida.",
          "`layers.Dense(4, activation=\"softmax\")` da una probabilidad por clase."],
    solution="""
        respuesta = [
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.2),
            layers.Dense(4, activation="softmax"),
        ]
    """,
)

# MobileNetV2's base (include_top=False) has the same counts at any input size and with either weights.
BASE_PARAMS = 2_257_984        # every weight of the base
BN_STATISTICS = 34_112         # moving means and variances of its 52 BatchNormalization layers
HEAD_PARAMS = FEATURES * HEAD_CLASSES + HEAD_CLASSES
FROZEN = HEAD_PARAMS                                  # base.trainable = False: only the head trains
UNFROZEN = BASE_PARAMS - BN_STATISTICS + HEAD_PARAMS  # base.trainable = True: the BN statistics still do not
_MAP_SIDE = 3  # the 3×3 map of a 96×96 image, for the "flattened instead of pooled" slip


def _n(count: int) -> str:
    return f"{count:,}".replace(",", " ")


_FROZEN_SLIPS = {  # a wrong first answer → what it means
    FROZEN - HEAD_CLASSES: "con la base congelada: faltan los sesgos, la capa densa tiene uno por neurona",
    BASE_PARAMS + HEAD_PARAMS: (
        f"con la base congelada has contado como entrenables sus {_n(BASE_PARAMS)} parámetros: con "
        "`base.trainable = False` no se entrena ninguno, solo la cabeza"),
    UNFROZEN: ("con la base congelada has contado los pesos que la base entrenaría descongelada; congelada "
               "no se entrena ninguno, solo la cabeza"),
    _MAP_SIDE * _MAP_SIDE * FEATURES * HEAD_CLASSES + HEAD_CLASSES: (
        "con la base congelada, ese sería el recuento aplanando un mapa de 3×3; GlobalAveragePooling2D deja "
        "1 280 números por imagen"),
}
_UNFROZEN_SLIPS = {  # a wrong second answer → what it means
    BASE_PARAMS + HEAD_PARAMS: (
        f"con la base descongelada has contado como entrenables las medias y varianzas móviles de "
        f"batch normalization ({_n(BN_STATISTICS)} números): se actualizan con promedios de cada lote, no con "
        "el gradiente, y Keras las deja siempre entre los no entrenables"),
    BASE_PARAMS: ("con la base descongelada: falta la cabeza, y las medias y varianzas móviles de "
                  "batch normalization no se entrenan nunca"),
    BASE_PARAMS - BN_STATISTICS: "con la base descongelada: falta la cabeza, que también se entrena",
    FROZEN: "con la base descongelada se entrenan también los pesos de la base, no solo la cabeza",
}


def _both(first, second):
    return "; ".join(message for message in (_FROZEN_SLIPS.get(first), _UNFROZEN_SLIPS.get(second)) if message)


ejercicio_4 = ValueExercise(
    (FROZEN, UNFROZEN),
    slips=[((first, second), _both(first, second))
           for first in (FROZEN, *_FROZEN_SLIPS) for second in (UNFROZEN, *_UNFROZEN_SLIPS)
           if (first, second) != (FROZEN, UNFROZEN)],
    title="Ejercicio 4 · Lo que se entrena con la base congelada y descongelada",
    hint=["Con la base congelada solo se entrenan los pesos de la cabeza; el pooling y el dropout no tienen "
          "pesos. Descongelada se entrena también la base… salvo las medias y varianzas móviles de sus capas "
          "*batch normalization*, que nunca reciben gradiente.",
          "La cabeza: 1 280 × 4 pesos más 4 sesgos. La base tiene 2 257 984 parámetros, de los que 34 112 son "
          "estadísticas de *batch normalization* (lo imprime la red (d)); puedes contarlas tú con "
          "`sum(2 * capa.moving_mean.shape[0] for capa in base.layers "
          "if isinstance(capa, layers.BatchNormalization))`."],
    solution="""
        cabeza = 1280 * 4 + 4
        estadisticas_bn = 34_112  # medias y varianzas móviles de batch normalization: nunca se entrenan
        respuesta = (cabeza, 2_257_984 - estadisticas_bn + cabeza)
    """,
)

ejercicio_5 = ThoughtExercise(
    "¿Qué capas reentrenarías con 200 imágenes y con 200 000, y con qué tasa de aprendizaje?",
    """
    Con 200 radiografías, solo la cabeza (base congelada, o características guardadas): hay muy pocos
    datos para ajustar millones de pesos sin sobreajustar. Con 200 000 puedes reentrenar muchos más
    bloques, incluso toda la red usando los pesos preentrenados como punto de partida; las radiografías
    se parecen poco a las fotos de ImageNet, así que adaptar más capas compensa. En ambos casos, al
    descongelar capas preentrenadas se usa una tasa de aprendizaje baja (p. ej. 1e-4 o 1e-5) y solo
    después de haber entrenado la cabeza nueva, para no destruir lo aprendido.
    """,
    title="Ejercicio 5 · Pocos datos o muchos",
    hint="El número de capas a reentrenar depende de cuántos datos tienes y de cuánto se parecen a ImageNet.",
)
