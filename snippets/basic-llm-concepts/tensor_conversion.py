import torch

tensor1d = torch.tensor([1, 2, 3])
float_tensor = tensor1d.to(torch.float32)
print(float_tensor.dtype)
print(float_tensor)
