"""The PyTorch reference for Mta.PerfBenchmark's training throughput: the same network (expert attention with
grouped experts and towers, as Mta.Models builds it), the same loop (shuffled index_select batches, masked MSE per
task, summed, backward, gradient clipping at 5, Adam) and the same thread count. Prints one JSON line.

Run by the benchmark program; by hand: python3 pytorch_reference.py --features 100 --experts 8 --expert-width 16 \
    --tower 8 --tasks 2 --rows 50000 --batch 256 --epochs 4 --threads 2
"""
import argparse
import json
import time

import torch


class GroupedMlp(torch.nn.Module):
    """G independent one-layer MLPs as one batched matmul: weight [G, in, out], bias [G, 1, out]."""

    def __init__(self, groups, fan_in, width):
        super().__init__()
        bound = 1.0 / fan_in ** 0.5
        self.weight = torch.nn.Parameter(torch.empty(groups, fan_in, width).uniform_(-bound, bound))
        self.bias = torch.nn.Parameter(torch.empty(groups, 1, width).uniform_(-bound, bound))

    def forward(self, x):
        return torch.relu(torch.matmul(x, self.weight) + self.bias)


class ExpertAttentionNet(torch.nn.Module):
    def __init__(self, d, experts, width, tower, tasks):
        super().__init__()
        self.register_buffer("mean", torch.zeros(d))
        self.register_buffer("scale", torch.ones(d))
        self.experts = GroupedMlp(experts, d, width)
        self.queries = torch.nn.Parameter(torch.randn(width, tasks) * (0.1 / width ** 0.5))
        self.towers = GroupedMlp(tasks, width, tower)
        self.heads = torch.nn.ModuleList([torch.nn.Linear(tower, 1) for _ in range(tasks)])

    def forward(self, x):
        z = (x - self.mean) / self.scale
        z = torch.where(torch.isfinite(z), z, torch.zeros_like(z))
        h = self.experts(z.unsqueeze(0)).transpose(0, 1)            # [B, E, u]
        weights = torch.matmul(h, self.queries).transpose(1, 2).softmax(-1)  # [B, T, E]
        per_task = self.towers(torch.matmul(weights, h).transpose(0, 1))     # [T, B, t]
        return [head(per_task[k]) for k, head in enumerate(self.heads)]


def masked_mse(output, labels):
    present = ~torch.isnan(labels)
    mask = present.float()
    target = torch.where(present, labels, torch.zeros_like(labels))
    per_row = (output.squeeze(1) - target).square()
    return (per_row * mask).sum() / mask.sum().clamp_min(1)


def main():
    p = argparse.ArgumentParser()
    for name, default in [("features", 100), ("experts", 8), ("expert-width", 16), ("tower", 8), ("tasks", 2),
                          ("rows", 50000), ("batch", 256), ("epochs", 4), ("threads", 2), ("seed", 1)]:
        p.add_argument("--" + name, type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = torch.randn(a.rows, a.features)
    labels = [torch.randn(a.rows) for _ in range(a.tasks)]
    net = ExpertAttentionNet(a.features, a.experts, a.expert_width, a.tower, a.tasks)
    params = list(net.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3, weight_decay=1e-5)
    generator = torch.Generator().manual_seed(a.seed)
    rates = []
    for epoch in range(a.epochs):
        start = time.perf_counter()
        order = torch.randperm(a.rows, generator=generator)
        for b in range(0, a.rows, a.batch):
            index = order[b:b + a.batch]
            outputs = net(x.index_select(0, index))
            losses = [masked_mse(outputs[k], labels[k].index_select(0, index)) for k in range(a.tasks)]
            total = sum(losses)
            optimizer.zero_grad()
            total.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            optimizer.step()
            torch.stack(losses + [total]).detach().tolist()  # one read-back per batch, as Mta.Models does
        rates.append(a.rows / (time.perf_counter() - start))
    steady = rates[1:] if len(rates) > 1 else rates
    print(json.dumps({"torch": f"{torch.__version__} (BLAS: {blas_library()})", "threads": torch.get_num_threads(),
                      "samples_per_second": sum(steady) / len(steady), "epochs": rates}))


def blas_library():
    """Which BLAS this PyTorch runs on: Debian's build links the system libblas.so.3, whose provider is chosen by
    update-alternatives (the reference BLAS unless an optimized one such as libopenblas0-pthread is installed)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line and "/" in line}
        return ", ".join(sorted(p.split("/")[-2] + "/" + p.split("/")[-1] for p in paths)) or "none loaded"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
