# expect: full
# says: ran past its time budget
# what: the top level trains for 100,000 steps: that statement is stopped by its own budget, and load_array, make_net and train defined after it are graded
import torch
from torch import nn

_X = torch.randn(1000, 2)
_y = _X @ torch.tensor([[2.0], [-3.4]]) + 4.2
_net = nn.Linear(2, 1)
_opt = torch.optim.SGD(_net.parameters(), lr=0.001)
for _step in range(100000):
    _l = ((_net(_X) - _y) ** 2).mean()
    _opt.zero_grad()
    _l.backward()
    _opt.step()
