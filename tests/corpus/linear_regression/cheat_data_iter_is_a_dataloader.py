# expect: fail data_iter
# says: torch.utils.data.DataLoader
# what: a DataLoader over a TensorDataset as the from-scratch data_iter
from torch.utils import data


def data_iter(batch_size, features, labels):
    return data.DataLoader(data.TensorDataset(features, labels), batch_size, shuffle=True)
