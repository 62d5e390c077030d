# expect: fail data_iter
"""Never shuffles."""
def data_iter(batch_size, features, labels):
    for i in range(0, len(features), batch_size):
        yield features[i: i + batch_size], labels[i: i + batch_size]
