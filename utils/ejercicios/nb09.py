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

_side = math.ceil(224 / DOWNSAMPLING)
ejercicio_2 = ValueExercise(
    (_side, _side, FEATURES),
    slips=[((math.ceil(160 / DOWNSAMPLING),) * 2 + (FEATURES,), "esa es la forma para 160×160; aquí la entrada es 224×224"),
           ((_side, _side, 3), "1 280 canales, no 3: la base termina con 1 280 feature maps")],
    title="Ejercicio 2 · La forma de los feature maps",
    hint=["MobileNetV2 reduce alto y ancho a la mitad cinco veces (2⁵ = 32) y termina con 1 280 canales.",
          "224 / 32 = 7."],
    solution="respuesta = (7, 7, 1280)",
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

_MAP_SIDE = 3  # the 3×3 map of a 96×96 image, for the "flattened instead of pooled" slip
ejercicio_4 = ValueExercise(
    FEATURES * HEAD_CLASSES + HEAD_CLASSES,
    slips=[
        (FEATURES * HEAD_CLASSES, "faltan los sesgos: la capa densa tiene uno por neurona"),
        (_MAP_SIDE * _MAP_SIDE * FEATURES * HEAD_CLASSES + HEAD_CLASSES,
         "ese sería el recuento aplanando un mapa de 3×3; GlobalAveragePooling2D deja 1 280 números por imagen"),
    ],
    title="Ejercicio 4 · Lo que se entrena con la base congelada",
    hint=["Con la base congelada solo se entrenan los pesos de la cabeza; el pooling y el dropout no tienen pesos.",
          "Una capa densa de 4 neuronas sobre 1 280 entradas tiene 1 280 × 4 pesos más 4 sesgos."],
    solution="respuesta = 1280 * 4 + 4",
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
