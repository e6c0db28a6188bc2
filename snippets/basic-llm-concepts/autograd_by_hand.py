import math

import torch
import torch.nn.functional as F

x, y, w, b = 1.1, 1.0, 2.2, 0.0

# By hand, with the chain rule
z = w * x + b
a = 1 / (1 + math.exp(-z))                        # sigmoid
L = -(y * math.log(a) + (1 - y) * math.log(1 - a))  # binary cross-entropy
dL_dw = (a - y) * x
dL_db = a - y

# With autograd
wt = torch.tensor(w, requires_grad=True)
bt = torch.tensor(b, requires_grad=True)
loss = F.binary_cross_entropy(torch.sigmoid(x * wt + bt), torch.tensor(y))
loss.backward()

print(f"z     = {z:.5f}")
print(f"a     = {a:.5f}")
print(f"L     = {L:.5f}   autograd: {loss.item():.5f}")
print(f"dL/dw = {dL_dw:.5f}  autograd: {wt.grad.item():.5f}")
print(f"dL/db = {dL_db:.5f}  autograd: {bt.grad.item():.5f}")
