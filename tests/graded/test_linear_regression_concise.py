"""Graded checks for linear_regression_concise.py (hidden from students: they use the reference).

A network cannot cross from the student process, so the student process sends it as plain data:
{"__nn_module__": repr(net), "state": net.state_dict()} (autograder/sandbox/student_side/child.py),
a Sequential's state keyed as net[i] reaches its layers ("0.weight", even for layers added by
name). A DataLoader arrives as the list of its minibatches, or one list per pass with
``ctx.session.call(..., passes=2)``.
"""
import math

import torch

from autograder.checks.api import LossCurve
from autograder.checks import fail, graded
from autograder.checks.helpers import close, fmt, kind_of, seeded
from autograder.checks.stats import mean_bound, variance_ratio_interval

TRUE_W, TRUE_B = [2.0, -3.4], 4.2
INIT_NETS = 200


def _batches(student, X, y, batch_size, is_train):
    call = f"load_array((features, labels), {batch_size}, is_train={is_train}) with {len(X)} examples"
    return call, _minibatches(call, student.load_array((X, y), batch_size, is_train))


def _minibatches(call, got) -> list:
    got = list(got) if isinstance(got, tuple) else got
    if not isinstance(got, list) or not all(isinstance(b, (list, tuple)) and len(b) == 2 for b in got):
        fail(f"{call} gave {kind_of(got)}; expected an iterable of [X, y] minibatches.",
             "Return data.DataLoader(data.TensorDataset(*data_arrays), batch_size, shuffle=is_train).")
    return got


def _order(call, batches, X, y):
    """The example index of each row the batches yield; fails unless it is a permutation."""
    rows = torch.cat([b[0].reshape(-1, X.shape[1]) for b in batches]) if batches else X[:0]
    labels = torch.cat([b[1].reshape(-1) for b in batches]) if batches else y[:0]
    if len(rows) != len(X):
        fail(f"{call} yielded {len(rows)} examples; expected each of the {len(X)} exactly once.",
             "Keep the last, shorter minibatch: DataLoader does unless drop_last=True.")
    index = rows[:, 0].round().long()  # column 0 holds each example's index
    if sorted(index.tolist()) != list(range(len(X))):
        fail(f"{call} did not yield every example exactly once.", "Wrap the tensors in one TensorDataset.")
    if not close(labels, y.reshape(-1)[index]):
        fail(f"{call} separated features from their labels.",
             "Put features and labels in one TensorDataset, so that they are shuffled together.")
    return index.tolist()


def _indexed(ctx, n):
    X = torch.stack([torch.arange(n, dtype=torch.float32), ctx.randn(n, salt="ix").cpu()], dim=1).to(ctx.device)
    y = ctx.randn(n, 1, salt="iy")
    return X, y


@graded("load_array", public=True)
def test_load_array_yields_every_example_once(student, ref, ctx):
    """Every example comes exactly once with its own label; the last minibatch may be shorter."""
    X, y = _indexed(ctx, 23)
    for is_train in (True, False):
        call, batches = _batches(student, X, y, 5, is_train)
        _order(call, batches, X, y)
        sizes = [len(b[1]) for b in batches]
        if sizes != [5, 5, 5, 5, 3]:
            fail(f"{call} yielded minibatches of sizes {sizes}; expected [5, 5, 5, 5, 3].",
                 "batch_size is the second argument of DataLoader; keep the last, shorter batch.")


@graded("load_array")
def test_load_array_shuffles_for_training(student, ref, ctx):
    """With is_train=True the order is random, and a fresh one on every pass over one loader."""
    X, y = _indexed(ctx, 50)
    call, first = _batches(student, X, y, 10, True)
    _, second = _batches(student, X, y, 10, True)
    a, b = _order(call, first, X, y), _order(call, second, X, y)
    # A correct shuffle repeats an order of 50 examples with probability 1/50! (about 3e-65).
    if a == list(range(50)):
        fail(f"{call} kept the examples in their original order.",
             "Training needs shuffled minibatches: pass shuffle=is_train to DataLoader.")
    if a == b:
        fail(f"Two passes of {call} came in the same order.", "Let DataLoader shuffle on each pass.")
    # The training loop makes one loader and iterates it once per epoch: each pass must reshuffle.
    passes = ctx.session.call("load_array", (X, y), 10, True, passes=2)
    if not isinstance(passes, list) or len(passes) != 2:  # the reply is the student process's word
        fail(f"Two passes over the loader from {call} gave {kind_of(passes)}; expected two lists of minibatches.")
    one, two = (_minibatches(call, batches) for batches in passes)
    if one and not two:
        fail(f"A second pass over the loader from {call} yielded nothing: it was used up after one epoch.",
             "Return a DataLoader, which can be iterated once per epoch, not a generator.")
    if _order(call, one, X, y) == _order(call, two, X, y):
        fail(f"Two passes over one loader from {call} came in the same order (about 1 in 50! by chance).",
             "Shuffle on every pass: DataLoader(..., shuffle=is_train) draws a fresh order each time it is "
             "iterated, whereas a permutation made once in load_array repeats in every epoch.")


@graded("load_array")
def test_load_array_keeps_the_order_for_evaluation(student, ref, ctx):
    """With is_train=False the examples come in their original order."""
    X, y = _indexed(ctx, 30)
    call, batches = _batches(student, X, y, 7, False)
    if _order(call, batches, X, y) != list(range(30)):
        fail(f"{call} shuffled the examples; expected their original order.",
             "Shuffle only for training: shuffle=is_train, not shuffle=True.")


def _net(student, call="make_net()"):
    got = student.make_net()
    if not isinstance(got, dict) or "__nn_module__" not in got:
        fail(f"{call} returned {kind_of(got)}; expected a torch.nn module.",
             "Return nn.Sequential(nn.Linear(2, 1)).")
    return got


@graded("make_net", public=True)
def test_make_net_is_one_linear_layer(student, ref, ctx):
    """make_net() is nn.Sequential(nn.Linear(2, 1)): weight (1, 2) and bias (1,)."""
    net = _net(student)
    state = net["state"]
    shapes = {k: tuple(v.shape) for k, v in state.items()}
    if "Sequential" not in net["__nn_module__"] or shapes != {"0.weight": (1, 2), "0.bias": (1,)}:
        fail(f"make_net() returned {net['__nn_module__']} with parameters {shapes}; expected "
             "Sequential((0): Linear(in_features=2, out_features=1, bias=True)).",
             "Two inputs, one output, inside nn.Sequential so that net[0] is the linear layer.")


@graded("make_net")
def test_make_net_uses_the_books_initialisation(student, ref, ctx):
    """The weight is drawn from N(0, 0.01²) (checked over 200 networks) and the bias is 0."""
    weights, biases = [], []
    for _ in range(INIT_NETS):
        state = _net(student)["state"]
        if "0.weight" not in state or "0.bias" not in state:
            fail("make_net() has no net[0].weight and net[0].bias.", "See the structure check.")
        weights.append(state["0.weight"].reshape(-1).cpu().double())
        biases.append(state["0.bias"].reshape(-1).cpu().double())
    w, b = torch.cat(weights), torch.cat(biases)
    if bool((b != 0).any()):
        fail(f"make_net() gave biases such as {fmt(b[:4])}; expected exactly 0.",
             "Set the bias with net[0].bias.data.fill_(0).")
    # n weights of N(0, σ²), σ = 0.01: the mean and Σw²/σ² (chi-square, n dof) stay within
    # bounds that a correct initialisation leaves with probability below 1e-12 each.
    n, sigma = len(w), 0.01
    lo, hi = variance_ratio_interval(n)
    ratio = float((w ** 2).sum()) / (sigma ** 2 * n)
    if abs(float(w.mean())) <= mean_bound(n, sigma) and lo <= ratio <= hi:
        return
    std = float(w.std())
    hint = "Draw the weight with net[0].weight.data.normal_(0, 0.01): mean 0, standard deviation 0.01."
    if 0.2 < std < 0.6:
        hint = ("These look like PyTorch's default initialisation (uniform in ±1/√2); the book overrides it: "
                "net[0].weight.data.normal_(0, 0.01).")
    elif 0.5 < std < 2:
        hint = "normal_(0, 1) has standard deviation 1; the book uses normal_(0, 0.01)."
    elif 5e-5 < std < 2e-4:
        hint = "normal_'s second argument is the standard deviation, not the variance: 0.01, not 0.0001."
    fail(f"Over {INIT_NETS} networks, make_net()'s weights had mean {float(w.mean()):.3g} and standard "
         f"deviation {std:.3g}; expected mean 0 and standard deviation 0.01.", hint)


def _book_data(ctx):
    with seeded(ctx.seed):
        X = torch.normal(0, 1, (1000, 2)).to(ctx.device)
        y = (X @ ctx.tensor(TRUE_W) + TRUE_B + torch.normal(0, 0.01, (1000,)).to(ctx.device)).reshape(-1, 1)
    return X, y


BOOK_CALL = "train(features, labels, 3, 10, 0.03) on 1000 examples of y = X [2, −3.4] + 4.2 + noise"


def _trained_on_book_data(student, ctx):
    """(X, y, net, losses) of the student's train() on the book's data, run once per submission and
    seed: the checks of the book_training group share it."""
    memo = ctx.session.memo.setdefault("concise book training", {})
    if ctx.seed not in memo:
        X, y = _book_data(ctx)
        memo[ctx.seed] = (X, y, student.train(X, y, 3, 10, 0.03))
    X, y, got = memo[ctx.seed]
    if not (isinstance(got, (list, tuple)) and len(got) == 2 and isinstance(got[0], dict)
            and "__nn_module__" in got[0] and isinstance(got[1], list)):
        fail(f"{BOOK_CALL} returned {kind_of(got)}; expected (net, losses).", "End train with `return net, losses`.")
    net, losses = got
    w, b = net["state"].get("0.weight"), net["state"].get("0.bias")
    if not (isinstance(w, torch.Tensor) and isinstance(b, torch.Tensor) and w.numel() == 2 and b.numel() == 1):
        fail(f"{BOOK_CALL} returned a network without a (1, 2) weight and a (1,) bias.", "See make_net's checks.")
    return X, y, (w, b), [_number(v) for v in losses]


def _number(value) -> float | None:
    """A loss as a float: a Python number or a one-element tensor (None otherwise, or not finite)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.is_floating_point():
        value = value.item()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


# The book's train() builds make_net() on the CPU and moves nothing (chapter 3 has no GPU):
# on a CUDA run, its training checks stay on the CPU.
@graded("train", "load_array", "make_net", devices=("cpu",), seed_group="book_training")
def test_training_recovers_the_parameters(student, ref, ctx):
    """train(features, labels) on the book's data (3 epochs, batch 10, lr 0.03) recovers w and b."""
    X, y, (w, b), losses = _trained_on_book_data(student, ctx)

    def book_run():
        with seeded(ctx.seed):
            return ref.train(X, y, 3, 10, 0.03)[1]

    book = ctx.reference_run("book curve", lambda _key: book_run(), data=(X, y))
    ctx.record_loss_curve(LossCurve(title="train(): mean squared loss after each epoch", epochs=[1, 2, 3],
                                    yours=[None if v is None else round(v, 8) for v in losses[:3]],
                                    reference=[round(v, 8) for v in book], ylabel="mean squared loss"))
    err_w = (w.reshape(-1).cpu() - torch.tensor(TRUE_W)).abs().max().item()
    err_b = abs(b.reshape(-1)[0].item() - TRUE_B)
    # The book's run ends within about 1e-3 of the truth; 0.05 leaves a wide margin.
    if not (err_w < 0.05 and err_b < 0.05):
        fail(f"{BOOK_CALL} ended at w = {fmt(w.reshape(-1))}, b = {fmt(b.reshape(-1))}; expected w ≈ {TRUE_W}, "
             f"b ≈ {TRUE_B}. Mean loss after each epoch: {losses}.",
             "Each step: loss of a minibatch, trainer.zero_grad(), l.backward(), trainer.step(), with "
             "nn.MSELoss() and torch.optim.SGD(net.parameters(), lr=lr).")
    if len(losses) != 3:
        fail(f"{BOOK_CALL} returned {len(losses)} losses; expected one per epoch (3).",
             "Append the loss after each epoch.")


@graded("train", "load_array", "make_net", devices=("cpu",), seed_group="book_training")
def test_training_reports_the_loss_over_all_the_data(student, ref, ctx):
    """train()'s last loss is the mean squared loss of the network it returns, over all of the data."""
    X, y, (w, b), losses = _trained_on_book_data(student, ctx)
    if not losses or losses[-1] is None:
        fail(f"{BOOK_CALL} returned the losses {losses}; expected 3 numbers.", "Append each epoch's loss as a float.")
    Xd, yd = X.cpu().double(), y.cpu().double().reshape(-1, 1)
    want = float(((Xd @ w.cpu().double().reshape(2, 1) + b.cpu().double().reshape(1)) - yd).pow(2).mean())
    # The student's float32 mean over 1000 residuals of about 1e-2 (labels near 10, eps 6e-8) is within
    # 1e-4 of this float64 one, relatively; a minibatch's loss, or a running mean over the epoch, is
    # off by tens of percent.
    if abs(losses[-1] - want) <= 1e-3 * want + 1e-9:
        return
    hint = ("Compute it after the epoch, over all the data, with the trained net: "
            "l = loss(net(features), labels) under torch.no_grad(), then l.item().")
    if abs(losses[-1] - want / 2) <= 1e-3 * want:
        hint = "The loss is nn.MSELoss(), the mean of (ŷ − y)², without chapter 3.2's factor 1/2."
    fail(f"{BOOK_CALL} reported a last loss of {losses[-1]:.6g}; the network it returned has a mean squared "
         f"loss of {want:.6g} over all 1000 examples.", hint)


@graded("train", "make_net", "load_array", devices=("cpu",))
def test_training_zeroes_the_gradients_every_step(student, ref, ctx):
    """Every step starts from cleared gradients: two steps on a crafted problem move b by 4, not 6."""
    # All features are 0 and every label is 10⁴, so ŷ = b and MSE's gradient in b is 2(b − 10⁴).
    # With lr = 10⁻⁴, each step adds about 2 to b: two steps (batch 5 of 10 examples, one epoch)
    # move b by 4 with cleared gradients, by 6 when the first step's gradient is left in
    # (zero_grad once per epoch, or never), by about 20 with a summed loss. The starting bias
    # (0 in the book, at most 0.71 with PyTorch's default) cannot blur these apart.
    X = torch.zeros(10, 2, device=ctx.device)
    y = torch.full((10, 1), 1e4, device=ctx.device)
    got = student.train(X, y, 1, 5, 1e-4)
    call = "train(features, labels, num_epochs=1, batch_size=5, lr=1e-4) with 10 examples, X = 0 and y = 10⁴"
    if not (isinstance(got, (list, tuple)) and len(got) == 2 and isinstance(got[0], dict) and "state" in got[0]):
        fail(f"{call} returned {kind_of(got)}; expected (net, losses).", "End train with `return net, losses`.")
    b = got[0]["state"].get("0.bias")
    if b is None or b.numel() != 1:
        fail(f"{call} returned a network without a bias.", "See make_net's checks.")
    moved = b.item()
    if abs(moved - 4) <= 1:
        return
    if abs(moved - 6) <= 1:
        fail(f"{call} ended with b = {moved:.4g}; expected about 4 after two steps of about 2.",
             "The second step also used the first step's gradient: gradients accumulate until cleared. Call "
             "trainer.zero_grad() before l.backward() in every step, not once per epoch.")
    if abs(moved - 20) <= 3:
        fail(f"{call} ended with b = {moved:.4g}; expected about 4.",
             "The loss is summed over the minibatch, so each step is 5 times too big: nn.MSELoss() averages.")
    fail(f"{call} ended with b = {moved:.4g}; expected about 4 (two SGD steps of about 2 each).",
         "Check the loss (nn.MSELoss()), the optimizer (torch.optim.SGD with lr=lr) and the step order: "
         "zero_grad, backward, step.")
