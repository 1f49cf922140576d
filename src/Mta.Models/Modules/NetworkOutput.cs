using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>Raw network outputs for a batch.</summary>
/// <param name="Heads">Per task: binary [B, 1] logit, multiclass [B, K] logits, regression [B, 1] standardized value.</param>
/// <param name="Attention">Per-task weights over the task's sources (experts, gate inputs or mask units), [B, T, W].</param>
internal sealed record NetworkOutput(Tensor[] Heads, Tensor Attention);
