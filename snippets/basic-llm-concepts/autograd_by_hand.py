# --8<-- [start:by_hand]
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
# --8<-- [end:by_hand]

# --8<-- [start:exercise_target]
x, w, b, y = 1.1, 2.2, 0.0, 0.0  # the same example, with a target of 0

a = 1 / (1 + math.exp(-(w * x + b)))
print(f"dL/dw by hand: {(a - y) * x:.5f}")

wt = torch.tensor(w, requires_grad=True)
loss = F.binary_cross_entropy(torch.sigmoid(x * wt + b), torch.tensor(y))
loss.backward()
print(f"dL/dw by autograd: {wt.grad.item():.5f}")
# --8<-- [end:exercise_target]
