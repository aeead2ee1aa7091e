using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// Computes a model's strided 1x1 convolutions as "every s-th pixel, then a 1x1 convolution with
/// stride 1": the same numbers, because a 1x1 kernel at stride s sees only those pixels, and in the
/// backward pass the skipped pixels get the zero gradient they get anyway. The modules themselves
/// stay, so parameters, state-dict names, checkpoints and pretrained weights are untouched; only
/// their stride becomes 1 and a forward pre-hook subsamples their input. Used by
/// <see cref="OneDnnWorkaround"/>: oneDNN's stride-1 kernels work where its strided one crashes.
/// </summary>
internal static class StridedPointwiseConvolutions
{
    /// <summary>Rewrites every strided, unpadded 1x1 Conv2d in the model; returns their names. Idempotent.</summary>
    public static IReadOnlyList<string> SubsampleFirst(nn.Module model)
    {
        var changed = new List<string>();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not Conv2d conv || !IsStridedPointwise(conv))
            {
                continue;
            }
            var rows = TensorIndex.Slice(step: conv.stride[0]);
            var columns = TensorIndex.Slice(step: conv.stride[1]);
            conv.stride = [1, 1];
            conv.register_forward_pre_hook((_, input) => input[TensorIndex.Ellipsis, rows, columns]);
            changed.Add(name);
        }
        return changed;
    }

    // Padding would put zeros on the grid the stride samples, which subsampling first does not; no model here pads a 1x1 convolution.
    private static bool IsStridedPointwise(Conv2d conv) =>
        conv.kernel_size.All(k => k == 1) && conv.stride.Any(s => s > 1)
        && (conv.padding?.All(p => p == 0) ?? conv.padding_type == TorchSharp.Padding.Valid);
}
