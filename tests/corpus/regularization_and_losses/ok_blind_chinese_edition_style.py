# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: Chinese-edition comments and Unicode identifiers, `d2l = sys.modules[__name__]` with functions calling each other through `d2l.`, torch.multiprocessing.set_sharing_strategy, mp.freeze_support() under __main__
"""权重衰减、稳健损失与数值稳定的交叉熵 (《动手学深度学习》3.7 与 4.5)。"""
import sys
d2l = sys.modules[__name__]

import torch
import torch.multiprocessing as mp

torch.multiprocessing.set_sharing_strategy("file_system")


def l2_penalty(w):
    """L2 范数惩罚: 所有权重平方和的一半 (不取平均)"""
    return torch.sum(w ** 2) / 2


def l1_loss(y_hat, y):
    """绝对误差, 逐样本"""
    误差 = y_hat - y.reshape(y_hat.shape)
    return torch.abs(误差)


def huber_loss(y_hat, y, delta=1.0):
    """Huber 损失: 近处是二次的, 远处是线性的"""
    误差 = y_hat - y.reshape(y_hat.shape)
    绝对误差 = torch.abs(误差)
    二次部分 = 误差 ** 2 / 2
    线性部分 = delta * (绝对误差 - delta / 2)
    return torch.where(绝对误差 <= delta, 二次部分, 线性部分)


def log_softmax(X):
    """先减去每行的最大值 (LogSumExp 技巧), 防止 exp 上溢"""
    行最大值 = torch.max(X, dim=1, keepdim=True).values
    平移后 = X - 行最大值
    return 平移后 - torch.log(torch.sum(torch.exp(平移后), dim=1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    """逐样本的交叉熵, 直接从未规范化的预测计算"""
    对数概率 = d2l.log_softmax(logits)
    return -对数概率[range(len(对数概率)), y]


if __name__ == "__main__":
    mp.freeze_support()
    print(d2l.cross_entropy_from_logits(torch.tensor([[0.0, 0.0], [1000.0, 0.0]]), torch.tensor([1, 1])))
