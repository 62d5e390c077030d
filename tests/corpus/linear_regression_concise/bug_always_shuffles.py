# expect: fail load_array
"""shuffle=True even for evaluation."""
def load_array(data_arrays, batch_size, is_train=True):
    return data.DataLoader(data.TensorDataset(*data_arrays), batch_size, shuffle=True)
