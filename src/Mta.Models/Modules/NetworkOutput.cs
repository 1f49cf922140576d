using static TorchSharp.torch;

namespace Mta.Models.Modules;

/// <summary>Raw network outputs for a batch.</summary>
/// <param name="Heads">Per task: binary [B, 1] logit, multiclass [B, K] logits, regression [B, 1] standardized value.</param>
/// <param name="Attention">Per-task weights over the task's sources (experts, gate inputs or mask units), [B, T, W].</param>
/// <param name="Members">Ensemble members whose outputs are stacked member by member (B = Members × rows), as in
/// training; 1 when the outputs are one per row (no ensemble, or in eval mode, the members' mean).</param>
internal sealed record NetworkOutput(Tensor[] Heads, Tensor Attention, int Members = 1);
