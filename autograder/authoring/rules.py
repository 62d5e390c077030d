"""What each function may use, said in its stub's docstring, from grading.toml.

The grader judges a from-scratch function by what it runs (autograder/operators.py), so the stub
says what the function may use, in the words the feedback uses; a concise function says which
ready-made calls are still out. The sentence is generated from grading.toml at release, so the
stubs, the notebooks and the grader never disagree.
"""
from __future__ import annotations

import ast

from autograder.config import GradingConfig


def rule(config: GradingConfig, assignment: str, function: str) -> str:
    """One paragraph for ``function``'s docstring."""
    allow = config.allowlist(assignment, function)
    forbidden = [name for name in config.forbidden(assignment) if not name.startswith("d2l.")]
    if allow is not None:
        return (f"From scratch: use {allow.description}. Ready-made versions (a torch loss, activation, "
                "layer, softmax or optimizer, numpy's or scipy's) get no points here; the grader checks "
                "what your code runs, whatever name reaches it.")
    out = "You may use torch.nn, torch.utils.data and torch.optim here"
    if forbidden:
        out += f", but not {', '.join(forbidden)}"
    return out + ", nor d2l's own solutions."


def with_rules(text: str, rules: dict[str, str]) -> str:
    """``text`` (a Python file) with each function's paragraph in ``rules`` appended to its docstring."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    inserts = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name not in rules:
            continue
        doc = node.body[0] if node.body else None
        if not (isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str)):
            continue
        last = lines[doc.end_lineno - 1]
        indent = " " * (len(lines[doc.lineno - 1]) - len(lines[doc.lineno - 1].lstrip()))
        if last.strip() not in ('"""', "'''"):
            continue  # a one-line docstring: left as it is
        paragraph = _wrapped(rules[node.name], indent)
        inserts.append((doc.end_lineno - 1, "\n" + paragraph))
    for index, block in sorted(inserts, reverse=True):
        lines.insert(index, block)
    return "".join(lines)


def _wrapped(paragraph: str, indent: str, width: int = 96) -> str:
    words, out, line = paragraph.split(), [], ""
    for word in words:
        if line and len(indent) + len(line) + 1 + len(word) > width:
            out.append(indent + line + "\n")
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(indent + line + "\n")
    return "".join(out)
