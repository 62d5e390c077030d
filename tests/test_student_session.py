"""The student's functions are a namespace apart from the session that runs them: a check's
``student`` has no attributes of its own, so no name a student's function may have is taken."""
import pytest
import torch

from autograder.config import load_config
from autograder.grade.judge import open_student

# Named like the session's own attributes, and like the old StudentModule's methods.
SOURCE = '''
def call(x):
    return x + 1
def close(x):
    return x * 2
def memo(x):
    return x - 1
def begin_check(x):
    return x * 3
def functions(x):
    return -x
def zeroes_its_input(X):
    X.zero_()
    return X.sum()
def sgd(params, lr, batch_size):
    import torch
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad / batch_size
            p.grad.zero_()
'''


@pytest.fixture
def session(tmp_path):
    from corpus_support import KIT
    copy = tmp_path / "named_like_the_session.py"
    copy.write_text(SOURCE)
    opened = open_student(load_config(KIT / "grading.toml"), "linear_regression", copy, "cpu")  # sgd updates in place
    opened.begin_check("names")
    yield opened
    opened.close()


def test_a_student_function_may_have_the_name_of_a_session_attribute(session):
    student, x = session.functions, torch.ones(2)
    assert torch.equal(student.call(x), x + 1)
    assert torch.equal(student.close(x), x * 2)
    assert torch.equal(student.memo(x), x - 1)
    assert torch.equal(student.begin_check(x), x * 3)
    assert torch.equal(student.functions(x), -x)
    assert session.memo == {}  # the session's own memo is untouched by the student's `memo`


def test_the_students_namespace_is_read_only_and_shows_only_calls(session):
    student = session.functions
    with pytest.raises(AttributeError, match="read-only"):
        student.memo = {}
    with pytest.raises(AttributeError):
        student._session_of_someone_else  # noqa: B018 - private names are never the student's
    assert "named_like_the_session.py" in repr(student)


def test_only_a_function_that_updates_in_place_changes_the_graders_tensors(session):
    """A red-team submission's linreg zeroed X and returned b: had its change been copied back, the check
    would have handed the zeroed X to the reference and found the two equal."""
    X = torch.ones(3, 2)
    assert session.functions.zeroes_its_input(X).item() == 0
    assert torch.equal(X, torch.ones(3, 2))  # not in updates_in_place: the grader's X is untouched
    assert session.last_call.arg_states[0] is not None  # though what happened is on record
    w = torch.ones(2, requires_grad=True)
    w.grad = torch.full((2,), 4.0)
    session.functions.sgd([w], 0.5, 2)
    assert torch.equal(w.detach(), torch.full((2,), 0.0)) and torch.equal(w.grad, torch.zeros(2))
