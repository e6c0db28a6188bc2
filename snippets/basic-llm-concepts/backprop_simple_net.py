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
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        h = self.relu(self.fc1(x))
        y_hat = self.sigmoid(self.fc2(h))
        return y_hat


torch.manual_seed(27)   # the same weights and inputs on every run
# Random numbers differ between CPU and GPU generators: draw them on the CPU,
# then move to the default device (the CPU, or the GPU if one was chosen).
with torch.device("cpu"):
    net = SimpleNet()                # Instantiate the network
    inputs = torch.randn(1, 10)      # Sample data: 1 example with 10 features
device = torch.get_default_device()
net, inputs = net.to(device), inputs.to(device)
labels = torch.tensor([[1.0]])     # shape [1, 1], like the network's output

# Define loss function and optimizer
criterion = nn.BCELoss()
optimizer = optim.SGD(net.parameters(), lr=0.01)

# Training step
optimizer.zero_grad()              # Clear gradients
outputs = net(inputs)              # Forward pass
loss = criterion(outputs, labels)  # Compute loss
loss.backward()                    # Backward pass (compute gradients)
optimizer.step()                   # Update parameters

# Accessing gradients
torch.set_printoptions(sci_mode=False)  # plain decimals, easier to compare
print(f"Loss: {loss.item():.4f}")
for name, param in net.named_parameters():
    if param.requires_grad:
        print(f"Gradient of {name}: {param.grad}")
