# expect: full
# whole-file
"""What Jupyter's "Download as .py" (jupyter nbconvert --to python) writes: In[] markers and
get_ipython() calls for the magics and shell escapes."""
#!/usr/bin/env python
# coding: utf-8

# In[1]:


get_ipython().run_line_magic('matplotlib', 'inline')
get_ipython().system('pip install d2l==0.17.6')
import random
import torch


# In[2]:


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)), device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, device=w.device)
    return X, y.reshape((-1, 1))


# In[3]:


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


# In[4]:


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


# In[5]:


get_ipython().run_cell_magic('time', '', 'print("timed")\n')
