import torch

# A GPU if PyTorch sees one (an NVIDIA GPU, through CUDA), else the CPU.
device = "cuda" if torch.cuda.is_available() else "cpu"

torch.manual_seed(123)
weights = torch.rand(2, 3)        # random numbers, drawn on the CPU
weights = weights.to(device)      # then moved to where the computation runs
inputs = torch.tensor([1.0, 2.0, 3.0], device=device)  # or created there
print(weights @ inputs)           # both operands must be on the same device
