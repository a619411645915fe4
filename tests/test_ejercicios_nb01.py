"""Exercises of notebook 01: realistic mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest

import utils
from utils.ejercicios import nb01 as ej
from exercise_checks import right, wrong


def test_1_normalized_crop():
    crop = utils.data.photo("camera")[176:180, 48:52]
    right(ej.ejercicio_1, crop.astype(np.float32) / 255)  # float32 is close enough
    assert "¿falta dividir entre 255?" in wrong(ej.ejercicio_1, crop)
    assert "se esperaba forma (4, 4)" in wrong(ej.ejercicio_1, utils.data.photo("camera")[176:181, 48:52] / 255)


def test_2_multi_hot_names_missing_and_extra_classes(run_solution):
    answer = run_solution(ej.ejercicio_2)["respuesta"]
    assert answer.sum() == 3 and answer[ej.CLASES.index("persona")] == 1
    person_only = np.eye(len(ej.CLASES))[ej.CLASES.index("persona")]
    assert "vector one-hot" in wrong(ej.ejercicio_2, person_only)
    no_rocket = answer.copy()
    no_rocket[ej.CLASES.index("cohete")] = 0
    no_rocket[ej.CLASES.index("cielo")] = 1
    message = wrong(ej.ejercicio_2, no_rocket)
    assert "faltan cohete" in message and "sobran cielo" in message
    assert "solo contiene 0" in wrong(ej.ejercicio_2, answer * 255)
    assert "se esperaba forma (8,)" in wrong(ej.ejercicio_2, answer[:-1])


def test_2_rejects_classes_outside_the_list():
    with pytest.raises(ValueError, match="perro"):
        ej._MultiHotExercise(ej.CLASES, {"perro"})


def test_3_batch_function(run_solution):
    a_lote = run_solution(ej.ejercicio_3)["a_lote"]
    batch = a_lote(utils.data.photo("camera")[np.newaxis, :6, :6])
    assert batch.shape == (1, 6, 6, 1) and batch.dtype == np.float32 and batch.max() <= 1
    assert "falta un eje de tamaño 1" in wrong(ej.ejercicio_3, lambda imgs: imgs / 255)
    assert "¿falta dividir entre 255?" in wrong(ej.ejercicio_3, lambda imgs: imgs[..., np.newaxis].astype("float32"))
    assert "otro orden" in wrong(ej.ejercicio_3, lambda imgs: imgs[:, np.newaxis] / 255)  # channels-first


def test_4_box_function(run_solution):
    caja = run_solution(ej.ejercicio_4)["caja"]
    mask = np.zeros((10, 10), dtype=bool)
    mask[2:5, 3:9] = True  # rows 2-4, columns 3-8
    assert tuple(caja(mask)) == (3, 2, 6, 3)
    right(ej.ejercicio_4, lambda m: list(caja(m)))  # a list is as good as a tuple


def _nonzero_extent(m):
    rows, cols = np.nonzero(m)
    return cols.min(), rows.min(), cols.max(), rows.max()


def test_4_box_slips_name_the_convention_that_was_used():
    def corners(m):  # (x, y, last column, last row)
        return _nonzero_extent(m)

    def corners_past(m):  # (x, y, x + w, y + h)
        x0, y0, x1, y1 = _nonzero_extent(m)
        return x0, y0, x1 + 1, y1 + 1

    def regionprops_bbox(m):  # skimage's (min_row, min_col, max_row, max_col), max excluded
        x0, y0, x1, y1 = _nonzero_extent(m)
        return y0, x0, y1 + 1, x1 + 1

    def one_short(m):  # width and height without the + 1
        x0, y0, x1, y1 = _nonzero_extent(m)
        return x0, y0, x1 - x0, y1 - y0

    def centre(m):  # the centre of the box instead of its top-left corner
        x0, y0, x1, y1 = _nonzero_extent(m)
        w, h = x1 - x0 + 1, y1 - y0 + 1
        return x0 + w / 2, y0 + h / 2, w, h

    def rows_first(m):  # (y, x, h, w)
        x, y, w, h = ej._box(m)
        return y, x, h, w

    assert "devuelves la esquina final" in wrong(ej.ejercicio_4, corners)
    assert "x + w e y + h" in wrong(ej.ejercicio_4, corners_past)
    assert "convenio de `regionprops`" in wrong(ej.ejercicio_4, regionprops_bbox)
    assert "te falta 1 en el ancho y en el alto" in wrong(ej.ejercicio_4, one_short)
    assert "no su centro" in wrong(ej.ejercicio_4, centre)
    assert "en otro orden" in wrong(ej.ejercicio_4, rows_first)


def test_5_batch_bytes_and_named_slips():
    assert np.zeros((32, 224, 224, 3), dtype=np.float32).nbytes == ej.BATCH_BYTES
    assert "en uint8" in wrong(ej.ejercicio_5, 32 * 224 * 224 * 3)
    assert "3 canales" in wrong(ej.ejercicio_5, 32 * 224 * 224 * 4)
    assert "una sola imagen" in wrong(ej.ejercicio_5, 224 * 224 * 3 * 4)
    assert "bits" in wrong(ej.ejercicio_5, 32 * 224 * 224 * 3 * 4 * 8)
    assert "mayor que el esperado" in wrong(ej.ejercicio_5, 10**9)
