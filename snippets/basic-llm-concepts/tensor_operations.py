import torch

tensor2d = torch.tensor([[1, 2],
                         [3, 4]])

# Accessing shape
print(tensor2d.shape)

# Reshaping: the same 4 numbers as 4 rows and 1 column
reshaped = tensor2d.reshape(4, 1)
print(reshaped)

# Transposing: rows become columns
transposed = tensor2d.T
print(transposed)

# The transpose reads the same memory in another order: view() cannot
# reshape it without a copy, reshape() copies when it must
print(transposed.is_contiguous(), transposed.reshape(4))

# Matrix multiplication, of floating-point numbers: PyTorch multiplies
# integer matrices on a CPU, but has no kernel for them on a GPU
floats = tensor2d.to(torch.float32)
result = floats @ floats.T
print(result)
