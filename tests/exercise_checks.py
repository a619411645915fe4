"""Helpers of the exercise tests: an answer must get the verdict the test expects."""


def wrong(exercise, answer) -> str:
    """Assert `answer` is judged wrong and return the diagnosis shown to the student."""
    verdict = exercise.evaluate(answer)
    assert verdict.status == "incorrecto", verdict
    return verdict.message


def right(exercise, answer):
    """Assert `answer` is judged right."""
    verdict = exercise.evaluate(answer)
    assert verdict.status == "correcto", verdict
