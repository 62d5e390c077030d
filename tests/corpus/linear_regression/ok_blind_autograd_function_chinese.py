# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: Chinese-edition comments and Unicode identifiers (特征, 标签, 残差), a custom torch.autograd.Function for linreg with a hand-written backward, random.sample for the shuffle
"""线性回归的从零开始实现 (d2l 中文版 3.2)。

linreg 用自定义的 autograd.Function 实现, 反向传播手写:
    d(Xw + b)/dw = X^T g,  d/db = sum(g),  d/dX = g w^T.
"""
import random

import torch


def synthetic_data(w, b, num_examples):  #@save
    """生成 y = Xw + b + 噪声"""
    特征 = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    标签 = torch.matmul(特征, w) + b
    标签 += torch.normal(0, 0.01, 标签.shape, dtype=w.dtype, device=w.device)
    return 特征, 标签.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    # 这些样本是随机读取的, 没有特定的顺序
    indices = random.sample(range(num_examples), num_examples)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)], dtype=torch.long)
        yield features[batch_indices], labels[batch_indices]


class _线性模型(torch.autograd.Function):
    """Xw + b, 反向传播手写。"""

    @staticmethod
    def forward(ctx, X, w, b):
        ctx.save_for_backward(X, w, b)
        return X @ w + b

    @staticmethod
    def backward(ctx, g):
        X, w, b = ctx.saved_tensors
        梯度_X = g @ w.T if ctx.needs_input_grad[0] else None
        梯度_w = X.T @ g if ctx.needs_input_grad[1] else None
        梯度_b = g.sum_to_size(b.shape) if ctx.needs_input_grad[2] else None
        return 梯度_X, 梯度_w, 梯度_b


def linreg(X, w, b):  #@save
    """线性回归模型"""
    return _线性模型.apply(X, w, b)


def squared_loss(y_hat, y):  #@save
    """均方损失 (未取平均)"""
    残差 = y_hat - y.reshape(y_hat.shape)
    return 残差 ** 2 / 2


def sgd(params, lr, batch_size):  #@save
    """小批量随机梯度下降"""
    with torch.no_grad():
        for 参数 in params:
            参数 -= lr * 参数.grad / batch_size
            参数.grad.zero_()
