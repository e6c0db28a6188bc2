import torch

tensor1d = torch.tensor([1, 2, 3])
print(tensor1d.dtype)

floats = torch.tensor([1.0, 2.0, 3.0])
print(floats.dtype)
