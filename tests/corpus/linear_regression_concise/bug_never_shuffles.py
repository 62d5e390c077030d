# expect: fail load_array
"""Forgets shuffle altogether."""
def load_array(data_arrays, batch_size, is_train=True):
    return data.DataLoader(data.TensorDataset(*data_arrays), batch_size)
