"""What a from-scratch function may use: named sets of torch operations.

A from-scratch function is judged by what runs, not by the names in its source. Each set lists
the operations it allows twice, as the two places every computation passes through:

* ``python``: the torch functions and Tensor methods a student calls (``torch.exp``, ``Tensor.sum``,
  ``x + y`` is ``Tensor.__add__``), as torch's function mode sees them. A ready-made function that
  is built from elementary parts (``F.l1_loss`` is a subtraction, an abs and a mean) is caught here;
* ``aten``: the operators torch's dispatcher runs, which every route ends in (an alias, ``torch.ops``,
  ``torch._C``, a hook or a custom backward). A fused kernel (``_softmax``, ``mse_loss``,
  ``threshold``, ``linalg_lstsq``) is caught here, whatever name reached it.

Anything in neither list is flagged, so an equivalent that nobody thought to name is flagged too.
The aten lists were taken from what torch runs for the Python names (forward and backward) and are
checked against the installed torch by ``tests/test_operators.py``.

grading.toml chooses sets per assignment and per function (``[assignments.NAME.operators]``);
"any" means no allowlist (the concise assignments use torch.nn and torch.optim), where only the
assignment's forbidden calls are flagged.
"""
from __future__ import annotations

from dataclasses import dataclass

ANY = "any"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _python(names: str) -> frozenset[str]:
    """Bare names stand for the torch function and the Tensor method, with their in-place forms
    (``exp`` is torch.exp, Tensor.exp, torch.exp_ and Tensor.exp_); dotted names are taken as they are."""
    out = set()
    for name in names.split():
        if "." in name:
            out.add(name)
            continue
        out |= {f"torch.{name}", f"Tensor.{name}"}
        if not name.startswith("_"):
            out |= {f"torch.{name}_", f"Tensor.{name}_"}
    return frozenset(out)


_ARITHMETIC = """
add sub subtract mul multiply div divide true_divide floor_divide remainder fmod neg negative positive
pow float_power reciprocal abs absolute sign sgn signbit copysign sqrt rsqrt square clamp clip clamp_min
clamp_max maximum minimum fmax fmin floor ceil round trunc fix frac addcmul addcdiv lerp rsub hypot nan_to_num
__add__ __radd__ __iadd__ __sub__ __rsub__ __isub__ __mul__ __rmul__ __imul__ __truediv__ __rtruediv__
__itruediv__ __div__ __rdiv__ __idiv__ __floordiv__ __rfloordiv__ __ifloordiv__ __mod__ __rmod__ __imod__
__pow__ __rpow__ __ipow__ __neg__ __pos__ __abs__ __and__ __rand__ __iand__ __or__ __ror__ __ior__
__xor__ __rxor__ __ixor__ __invert__ __lshift__ __rlshift__ __ilshift__ __rshift__ __rrshift__ __irshift__
_foreach_add _foreach_add_ _foreach_sub _foreach_sub_ _foreach_mul _foreach_mul_ _foreach_div _foreach_div_
_foreach_neg _foreach_neg_ _foreach_zero_ _foreach_addcmul _foreach_addcmul_ _foreach_addcdiv
_foreach_addcdiv_ _foreach_copy_ _foreach_abs _foreach_exp _foreach_log _foreach_sqrt _foreach_pow
"""
_COMPARISON = """
eq ne lt le gt ge greater less greater_equal less_equal not_equal equal allclose isclose isnan isinf isfinite
isneginf isposinf isreal logical_and logical_or logical_not logical_xor bitwise_and bitwise_or bitwise_not
bitwise_xor where any all __eq__ __ne__ __lt__ __le__ __gt__ __ge__ count_nonzero nonzero argwhere
"""
_EXPONENTIAL = """
exp exp2 expm1 log log2 log10 log1p logaddexp logaddexp2 xlogy tanh sinh cosh sin cos tan atan arctan
acos acosh arccos arccosh asin asinh arcsin arcsinh atan2 arctan2 atanh arctanh deg2rad rad2deg sinc
erf erfc lgamma ldexp frexp heaviside gcd lcm nextafter
"""
_REDUCTION = """
sum nansum mean nanmean prod max min amax amin aminmax argmax argmin std var std_mean var_mean norm
torch.linalg.vector_norm cumsum cummax cummin median nanmedian mode sort argsort
msort topk kthvalue unique unique_consecutive bincount trace diff sum_to_size cov corrcoef dist cross
histc quantile nanquantile
"""
_INDEXING = """
__getitem__ __setitem__ __index__ __int__ __float__ __bool__ __complex__ item index_select gather scatter
scatter_add scatter_reduce take take_along_dim masked_select masked_fill masked_scatter index_put index_add
index_fill index_copy narrow select split split_with_sizes tensor_split chunk unbind __iter__ __len__
__contains__ __reversed__ __hash__ torch.nn.functional.one_hot tril triu diag diagonal diag_embed
repeat_interleave flip fliplr flipud roll rot90 searchsorted bucketize put index_put_ diagflat
diagonal_scatter select_scatter slice_scatter fill_diagonal_ __long__ __nonzero__
"""
_SHAPE = """
view view_as reshape reshape_as flatten unflatten ravel squeeze unsqueeze t transpose swapaxes swapdims
permute movedim moveaxis expand expand_as broadcast_to broadcast_tensors broadcast_shapes repeat tile cat
concat concatenate stack hstack vstack dstack column_stack row_stack atleast_1d atleast_2d atleast_3d
contiguous clone detach __deepcopy__ __reduce_ex__ __getstate__ __setstate__ __sizeof__ size dim ndimension
numel nelement stride is_contiguous is_floating_point is_complex is_nonzero is_same_size is_signed is_conj
is_neg is_inference element_size get_device storage_offset data_ptr dim_order torch.is_tensor
torch.is_floating_point torch.numel hsplit vsplit dsplit unfold narrow_copy unsafe_chunk unsafe_split
unsafe_split_with_sizes as_strided resize resize_as conj resolve_conj resolve_neg new
"""
_MATMUL = """
matmul mm mv bmm dot vdot inner outer ger addmm addmv addbmm baddbmm addr einsum tensordot kron
chain_matmul torch.linalg.multi_dot torch.linalg.matmul torch.linalg.vecdot __matmul__ __rmatmul__
matrix_power torch.linalg.matrix_power
"""
_CREATION = """
tensor as_tensor asarray from_numpy zeros ones full empty zeros_like ones_like full_like empty_like arange
range linspace logspace eye scalar_tensor new_zeros new_ones new_full new_empty new_tensor to type
type_as float double half bfloat16 int long short bool byte char cdouble cfloat chalf cpu cuda
requires_grad fill zero copy
torch.get_default_dtype torch.set_default_dtype torch.manual_seed torch.seed torch.random.manual_seed
"""
_RANDOM = """
rand randn randint randperm normal uniform random bernoulli multinomial exponential rand_like randn_like
randint_like poisson
"""
# Autograd as the book uses it (backward, no_grad), and the code torch runs for it: a custom
# autograd.Function runs inside the watch, forward and backward.
_AUTOGRAD = """
backward retain_grad register_hook torch.autograd.grad torch.autograd.backward
torch.autograd.grad_mode.* torch.utils._contextlib.* torch.autograd.function.* torch.autograd.graph.*
torch.no_grad torch.enable_grad torch.set_grad_enabled torch.is_grad_enabled torch.inference_mode
"""
# Printing a tensor (f-strings included) while debugging.
_PRINTING = """
__repr__ __str__ __format__ torch._tensor_str.* torch.set_printoptions
"""

_ELEMENTARY_ATEN = _words("""
__ilshift__ __irshift__ __lshift__ __rshift__ _efficientzerotensor _foreach_abs _foreach_add _foreach_add_
_foreach_addcdiv _foreach_addcdiv_ _foreach_addcmul _foreach_addcmul_ _foreach_copy_ _foreach_div
_foreach_div_ _foreach_exp _foreach_log _foreach_mul _foreach_mul_ _foreach_neg _foreach_neg_ _foreach_pow
_foreach_sqrt _foreach_sub _foreach_sub_ _foreach_zero_ _index_put_impl_ _local_scalar_dense _reshape_alias
_to_copy _unique2 _unsafe_view abs add add_ addbmm addcdiv addcmul addmm addmv addr alias all allclose amax
amin aminmax any arange argmax argmin as_strided atan baddbmm bernoulli bincount bitwise_and bitwise_and_
bitwise_left_shift bitwise_not bitwise_or bitwise_or_ bitwise_right_shift bitwise_xor bitwise_xor_ bmm
bucketize cat ceil chunk clamp clamp_max clamp_min clone copy_ copysign cos cosh count_nonzero cummax cummin
cumprod cumsum detach diag_embed diagonal diagonal_backward diagonal_copy div div_ dot empty empty_like
empty_strided eq equal exp exp2 expand expand_copy expm1 exponential_ eye fill fill_ flip floor floor_divide
floor_divide_ fmax fmin fmod frac full full_like gather ge gt hypot index index_add index_add_ index_copy
index_fill index_put index_put_ index_select is_same_size isinf isnan isneginf isposinf kthvalue le lerp
lift_fresh lift_fresh_copy linalg_vector_norm linspace log log10 log1p log2 logaddexp logaddexp2 logical_and
logical_and_ logical_not logical_not_ logical_or logical_or_ logical_xor logspace lt masked_fill masked_fill_
masked_scatter masked_select max maximum mean median min minimum mm mode mul mul_ multinomial mv nan_to_num
nanmedian nansum narrow ne neg new_empty new_empty_strided new_ones new_zeros nonzero normal normal_ ones
ones_like permute poisson pow pow_ prod put rand rand_like randint randint_like randn randn_like random_
randperm range reciprocal remainder remainder_ repeat repeat_interleave resolve_conj resolve_neg roll rot90
round rsqrt rsub scalar_tensor scatter scatter_ scatter_add scatter_add_ searchsorted select select_backward
sgn sign signbit sin sinh slice slice_backward sort split split_with_sizes sqrt squeeze squeeze_ stack std
std_mean sub sub_ sum t take tan tanh tanh_backward topk trace transpose tril triu trunc unbind uniform_
unique_consecutive unsafe_chunk unsafe_split unsqueeze var var_mean vdot view view_copy where xlogy zero_
zeros zeros_like set_ acos acosh asin asinh atan2 atanh deg2rad rad2deg dist erf erfc frexp histc ldexp lgamma
linalg_cross nextafter resize_ sinc slice_scatter digamma diagonal_scatter
""")

def _with_inplace(ops: frozenset[str]) -> frozenset[str]:
    """Each operator with its in-place form (abs and abs_): writing into a tensor changes nothing
    of what is computed."""
    return frozenset(ops | {op + "_" for op in ops if not op.endswith("_") and not op.startswith("_")})


_SOLVERS_PYTHON = """
torch.linalg.solve torch.linalg.solve_ex torch.linalg.inv torch.linalg.inv_ex torch.linalg.cholesky
torch.linalg.cholesky_ex torch.linalg.qr torch.linalg.lu torch.linalg.lu_factor torch.linalg.lu_factor_ex
torch.linalg.lu_solve torch.linalg.solve_triangular torch.linalg.matrix_rank torch.linalg.svd
torch.linalg.svdvals torch.linalg.eigh torch.linalg.eigvalsh torch.linalg.det torch.linalg.slogdet
torch.linalg.cond torch.linalg.matrix_norm torch.linalg.norm inverse cholesky cholesky_solve cholesky_inverse
triangular_solve det logdet slogdet svd qr lu lu_solve torch.lu_unpack matrix_exp torch.linalg.matrix_exp
geqrf orgqr ormqr torch.linalg.eig torch.linalg.eigvals
"""
_SOLVERS_ATEN = _words("""
_linalg_check_errors _linalg_det _linalg_eigh _linalg_slogdet _linalg_solve_ex _linalg_svd cholesky
cholesky_inverse cholesky_solve diagonal_scatter linalg_cholesky_ex linalg_inv_ex linalg_lu
linalg_lu_factor_ex linalg_lu_solve linalg_qr linalg_solve linalg_solve_triangular lu_unpack triangular_solve
linalg_eig linalg_matrix_exp
""")

_NUMPY_PYTHON = """
Tensor.numpy Tensor.__array__ Tensor.__array_wrap__ Tensor.tolist Tensor.__dlpack__ Tensor.__dlpack_device__
torch.utils.dlpack.*
"""


@dataclass(frozen=True)
class OperatorSet:
    name: str
    description: str
    """What it allows, in a student's words (the stubs' docstrings and the feedback quote it)."""
    python: frozenset[str]
    aten: frozenset[str]


SETS: dict[str, OperatorSet] = {s.name: s for s in (
    OperatorSet("elementary", "elementary tensor operations (arithmetic, comparisons, exp and log, reductions, "
                "indexing, shapes, matrix products, creating tensors, random numbers, autograd)",
                _python(" ".join((_ARITHMETIC, _COMPARISON, _EXPONENTIAL, _REDUCTION, _INDEXING, _SHAPE, _MATMUL,
                                  _CREATION, _RANDOM, _AUTOGRAD, _PRINTING))),
                _with_inplace(_ELEMENTARY_ATEN)),
    OperatorSet("linear_solvers", "solvers and factorisations of torch.linalg (solve, cholesky, qr, inv; not lstsq "
                "or pinv)", _python(_SOLVERS_PYTHON), _SOLVERS_ATEN),
    OperatorSet("numpy_interop", "moving tensors to numpy or Python lists (numpy(), tolist())",
                _python(_NUMPY_PYTHON), frozenset()),
)}


@dataclass(frozen=True)
class Allowlist:
    """What one function may use: the union of its sets, and any extra names grading.toml adds."""

    sets: tuple[str, ...]
    python: frozenset[str]
    prefixes: tuple[str, ...]
    """Python names given as ``module.*``: anything in that module."""
    aten: frozenset[str]

    def allows_python(self, name: str) -> bool:
        return name in self.python or name.startswith(self.prefixes)

    def allows_aten(self, op: str) -> bool:
        return op in self.aten

    @property
    def description(self) -> str:
        parts = [SETS[s].description for s in self.sets if s in SETS]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]


def allowlist(sets, extra=()) -> Allowlist | None:
    """The allowlist of ``sets`` (names from SETS) plus ``extra`` names (a bare name is torch.NAME and
    Tensor.NAME; ``aten.NAME`` an operator); None where a set is "any"."""
    sets = tuple(sets)
    if ANY in sets:
        return None
    unknown = [s for s in sets if s not in SETS]
    if unknown:
        raise KeyError(f"unknown operator set(s): {', '.join(unknown)} (known: {', '.join([*SETS, ANY])})")
    python = set().union(*(SETS[s].python for s in sets)) if sets else set()
    aten = set().union(*(SETS[s].aten for s in sets)) if sets else set()
    for name in extra:
        if name.startswith("aten."):
            aten.add(name[len("aten."):])
        else:
            python |= _python(name)
    prefixes = tuple(sorted(p[:-1] for p in python if p.endswith(".*")))
    return Allowlist(sets, frozenset(p for p in python if not p.endswith(".*")), prefixes, frozenset(aten))
