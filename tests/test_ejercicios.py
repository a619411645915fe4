"""What every exercise of every notebook owes the student, checked once for all of utils/ejercicios/nbNN.py.

Numbered titles, hints, `____` unanswered, the notebook's starter cell unanswered, a written solution
that passes its own checker and that works pasted into the notebook. The diagnoses of typical wrong
answers, which differ per exercise, are in test_ejercicios_nbNN.py.
"""
import re

import pytest

from exercise_checks import MODULES, exercise_cells, exercises, notebook_path, right, solution_answer, starter_answer
from utils.exercises import ThoughtExercise, ____

ALL = [pytest.param(exercise, n, id=f"{module.__name__[-4:]}-{n}")
       for module in MODULES for n, exercise in enumerate(exercises(module), 1)]
WRITTEN = [p for p in ALL if not isinstance(p.values[0], ThoughtExercise)]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__[-4:])
def test_exercises_are_numbered_from_one_without_gaps(module):
    names = sorted((k for k in vars(module) if re.fullmatch(r"ejercicio_\d+", k)), key=lambda k: int(k[10:]))
    assert names == [f"ejercicio_{n}" for n in range(1, len(names) + 1)] and names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__[-4:])
def test_notebook_has_one_check_cell_per_exercise(module):
    assert sorted(exercise_cells(module)) == list(range(1, len(exercises(module)) + 1)), notebook_path(module).name


@pytest.mark.parametrize("exercise, n", ALL)
def test_title_hints_and_placeholder(exercise, n):
    assert exercise.title.startswith(f"Ejercicio {n} · ")
    assert exercise.hints and all(hint.strip() for hint in exercise.hints)
    assert exercise.evaluate(____).status == "sin responder"
    assert isinstance(exercise, ThoughtExercise) or exercise._solution, "falta la solución escrita"


@pytest.mark.parametrize("exercise, n", ALL)
def test_starter_cell_of_the_notebook_is_unanswered(exercise, n):
    """The exercise cell as the student first runs it: `____` still in it, so no verdict yet."""
    verdict = exercise.evaluate(starter_answer(exercise))
    assert verdict.status == "sin responder", verdict


@pytest.mark.parametrize("exercise, n", WRITTEN)
def test_written_solution_passes_pasted_into_the_notebook(exercise, n, run_solution):
    """The exercise cell's code replaced by the solution, then the notebook's `check` line (or the solution's own)."""
    right(exercise, solution_answer(exercise, run_solution(exercise)))


def test_exercise_modules_import_neither_keras_nor_matplotlib(fresh_import):
    loaded = fresh_import(*(module.__name__ for module in MODULES))
    assert not loaded & {"keras", "tensorflow", "matplotlib"}, sorted(loaded & {"keras", "tensorflow", "matplotlib"})
