import torch
import torch.nn as nn
import torch.optim as optim


# Define a simple neural network
class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 5)  # Input layer to hidden layer
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(5, 1)   # Hidden layer to output layer

    def forward(self, x):
        h = self.relu(self.fc1(x))
        return self.fc2(h)  # a logit: the loss below applies the sigmoid itself


device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(27)               # the same weights and inputs on every run
net = SimpleNet().to(device)        # weights drawn on the CPU, then moved to the device
inputs = torch.randn(1, 10).to(device)          # 1 example with 10 features
labels = torch.tensor([[1.0]], device=device)   # shape [1, 1], like the network's output

# Define loss function and optimizer
criterion = nn.BCEWithLogitsLoss()  # sigmoid and binary cross-entropy in one, numerically stable
optimizer = optim.SGD(net.parameters(), lr=0.01)

# Training step
optimizer.zero_grad()              # Clear the gradients of the previous step
outputs = net(inputs)              # Forward pass
loss = criterion(outputs, labels)  # Compute loss
loss.backward()                    # Backward pass (compute gradients)
optimizer.step()                   # Update parameters

# Accessing gradients
torch.set_printoptions(sci_mode=False)  # plain decimals, easier to compare
print(f"Loss: {loss.item():.4f}")
for name, param in net.named_parameters():
    print(f"Gradient of {name}: {param.grad}")
