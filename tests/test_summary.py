"""The end-of-run table names the functions at fault, also for partial submissions."""
from autograder.report.summary import summary_table
from autograder.grade.scoring import GradedSubmission, ScoredCheck


def _check(check_id, tags, passed, kind="value"):
    return ScoredCheck(check_id, ("cpu",), () if passed else ("cpu",), check_id, tuple(tags), False,
                       1.0 if passed else 0.0, 1.0, "passed" if passed else "failed", "", "passed" if passed else kind)


def _row(checks) -> str:
    table = summary_table([GradedSubmission("ada", "linear_regression_concise", tuple(checks), (), {})])
    return table.splitlines()[2]


# linear_regression_concise: load_array and make_net have checks of their own; train has none, so
# the training runs (which use all three) are train's.
def test_a_broken_train_alone_is_blamed_on_train():
    row = _row([_check("load_array_batches", ["load_array"], True), _check("make_net_shape", ["make_net"], True),
                _check("train_recovers", ["train", "make_net", "load_array"], False),
                _check("train_loss_falls", ["train", "make_net", "load_array"], False)])
    assert "2 (train)" in row and "make_net" not in row and "load_array" not in row


def test_a_broken_make_net_is_blamed_on_make_net_not_on_train_whose_runs_it_spoiled():
    row = _row([_check("load_array_batches", ["load_array"], True), _check("make_net_shape", ["make_net"], False),
                _check("train_recovers", ["train", "make_net", "load_array"], False)])
    assert "2 (make_net)" in row


def test_a_check_of_functions_that_all_have_their_own_blames_only_the_ones_that_failed_their_own():
    # linear_regression: training_with_your_linreg is tagged linreg; a full-loop check tags all five.
    row = _row([_check("linreg_values", ["linreg"], False), _check("sgd_update", ["sgd"], True),
                _check("training_recovers_parameters", ["linreg", "sgd"], False)])
    assert "2 (linreg)" in row and "sgd" not in row.split("(")[1]
