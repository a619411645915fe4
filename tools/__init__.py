"""The repository's machinery, never shipped to students; it may import `utils`, never the reverse.

    manifest        course.toml → Course, Notebook; the ids of the generated cells
    course          headers, setup cell, slide metadata and README index from the manifest (`sync`); CLI
    runner          notebooks headless with papermill → build/report.md (`python -m tools.course run`)
    slides          reveal.js slide rules and offline decks (`python -m tools.slides`)
    kaggle          kernel folders and the `utils` data set, and their upload (`python -m tools.kaggle`)
    bench           performance report (`python -m tools.bench`), with bench_cnn, bench_cost and bench_transfer
    site            the course as an offline Spanish website in build/site/ (`python -m tools.site`)
    platforms       the notebooks in reproductions of Colab's and Kaggle's runtimes (`python -m tools.platforms`)
    edition         the student edition without written solutions, as a folder or a branch (`python -m tools.edition`)
    grading         handed-in notebooks graded in a sandbox → gradebook.csv and feedback (`python -m tools.grading`)
"""
