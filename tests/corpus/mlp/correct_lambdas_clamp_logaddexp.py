# expect: full
# whole-file
# what: (blind round 3) every function is a top-level lambda; relu via clamp(min=0) (grad 1 at 0, allowed), sigmoid = exp(-logaddexp(0, -x)) (stable), hard_sigmoid written as clamp((x+1)/2, 0, 1) -- same values and slopes as the two-ReLU formula but not literally built from relu, and its slope at both knees is 0.5 (docstring ambiguous whether calling relu is required; kink slopes unspecified)
"""A multilayer perceptron from scratch, written with lambdas."""
import torch

relu = lambda X: X.clamp(min=0)

# 1 / (1 + e^-x) = exp(-log(1 + e^-x)) = exp(-logaddexp(0, -x))
sigmoid = lambda X: torch.exp(-torch.logaddexp(torch.zeros_like(X), -X))

# the two ReLUs collapse to one clamp: 0 below -1, 1 above 1, (x + 1) / 2 between
hard_sigmoid = lambda X: torch.clamp((X + 1) / 2, 0.0, 1.0)

mlp = lambda X, params: relu(X.reshape(len(X), -1) @ params[0] + params[1]) @ params[2] + params[3]
