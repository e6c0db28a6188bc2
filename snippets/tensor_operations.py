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

# Matrix multiplication
result = tensor2d @ tensor2d.T
print(result)
