# --8<-- [start:operations]
import torch

ids = torch.arange(10)      # the integers from 0 to 9
print(ids[2:6])             # a slice: positions 2, 3, 4 and 5
print(ids[-1])              # a negative index counts from the end

rows = torch.stack([ids[0:3], ids[1:4]])  # two tensors of 3 as the rows of one 2 x 3 tensor
print(rows)

scores = torch.tensor([[1.0, 2.0, 3.0],
                       [3.0, 1.0, 2.0]])
print(scores + torch.tensor([10.0, 20.0, 30.0]))  # broadcasting: added to each row
print(scores.sum(dim=-1))                  # dim=-1: along the last dimension, one sum per row
print(scores.argmax(dim=-1))               # where each row has its largest number
print(torch.softmax(scores, dim=-1))       # each row as probabilities that sum to 1
# --8<-- [end:operations]

# --8<-- [start:exercise_broadcast]
column = torch.arange(4).reshape(4, 1)  # shape (4, 1)
row = torch.tensor([10, 20, 30])  # shape (3,)
table = column + row
print(table.shape)
print(table)
# --8<-- [end:exercise_broadcast]
