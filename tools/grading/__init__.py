"""Grading handed-in notebooks: `python -m tools.grading CARPETA` → gradebook.csv and Spanish feedback.

    answers     the instructor's check calls, the student's answer cells, the injected recording cells
    recorder    (injected, kernel side) an answer's value written as plain JSON
    values      (grader side) records rebuilt into values; a Replay for function answers
    sandbox     one submission in a fresh kernel: throwaway folder, time and memory limits, no network, nobody
    classroom   the utils that kernel imports: the instructor's, without the written solutions
    gradebook   verdicts from the instructor's checkers, gradebook.csv, feedback files, summary table
"""
