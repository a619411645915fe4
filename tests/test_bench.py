"""tools.bench: issue 14's targets checked against measured figures, and the report's Markdown."""
import pytest

from tools import bench


def report(seconds, *, full=None, cnn=None):
    notebooks = {f"{i:02d}_x.ipynb": {"median_s": s, "runs": [s]} for i, s in enumerate(seconds)}
    r = {"machine": {"date": "2026-12-01", "cpu": "Some CPU", "cpus": 2, "python": "3.11.7", "platform": "Linux"},
         "import_utils_s": 0.1, "conv2d_512x512x3_s": 0.2, "kernel_setup_s": 6.0, "notebooks": notebooks,
         "sections": []}
    if full is not None:
        r["nb06_full_mnist"] = {"median_s": full, "runs": [full]}
    if cnn is not None:
        r["cnn"] = cnn
    r["targets"] = bench.targets(r)
    return r


def by_name(r):
    return {t["name"]: t for t in r["targets"]}


def test_targets_met_and_missed():
    fast = by_name(report([10.0] * 13, full=40.0, cnn={"full_mnist": True, "ratio": 0.12}))
    assert fast["course_total_s"]["measured"] == 130.0 and fast["course_total_s"]["met"] is True
    assert fast["notebook_max_s"]["met"] is True and fast["nb06_full_mnist_s"]["met"] is True
    assert fast["cnn_ratio"]["met"] is True
    slow = by_name(report([10.0] * 12 + [31.0], full=46.0, cnn={"full_mnist": True, "ratio": 0.16}))
    assert slow["course_total_s"]["measured"] == 151.0 and slow["course_total_s"]["met"] is True
    assert slow["notebook_max_s"]["measured"] == 31.0 and slow["notebook_max_s"]["met"] is False
    assert slow["nb06_full_mnist_s"]["met"] is False and slow["cnn_ratio"]["met"] is False
    total = by_name(report([15.0] * 13))
    assert total["course_total_s"]["measured"] == 195.0 and total["course_total_s"]["met"] is False


def test_a_ratio_on_the_subset_or_a_missing_figure_is_not_measured():
    r = by_name(report([10.0], cnn={"full_mnist": False, "ratio": 0.05}))
    assert r["cnn_ratio"]["met"] is None and r["nb06_full_mnist_s"]["met"] is None
    empty = by_name(report([]))
    assert empty["course_total_s"]["met"] is None and empty["notebook_max_s"]["measured"] is None


def test_markdown_states_date_machine_and_verdicts():
    text = bench.markdown(report([10.0, 31.0], full=40.0))
    assert "2026-12-01 · Some CPU, 2 CPUs" in text
    assert "| slowest notebook, seconds | 30 | 31 | **no** |" in text
    assert "| notebook 06 on full MNIST, seconds | 45 | 40 | yes |" in text
    assert "| CNN to 99.2 % / keras-io 15 epochs | 0.15 | – | not measured |" in text
    assert "| **all notebooks** | **41.0** |" in text


def test_machine_names_the_date_and_the_cpu():
    m = bench.machine()
    assert len(m["date"]) == 10 and m["cpus"] >= 1 and m["cpu"]


def test_an_ipc_kernel_started_in_another_folder_answers(tmp_path):
    """The kernel may start in another folder than the client (the bench's setup cell runs in notebooks/):
    the IPC sockets must be one absolute path for both, or the client waits for a kernel it never finds."""
    import nbformat
    from nbclient import NotebookClient

    from tools import runner

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nprint(os.getcwd())")])
    NotebookClient(nb, kernel_name="python3", kernel_manager_class=runner.ipc_kernel_manager(), startup_timeout=60,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == str(tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("kernel-ipc")]
