using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mta.Models.TorchSharpFixes;

/// <summary>Turns libtorch's oneDNN (MKLDNN) kernels on or off for the process; training turns them off.</summary>
/// <remarks>
/// Why: on an AMD EPYC (Zen 4, AVX-512) machine, libtorch 2.10's oneDNN convolutions gave a different model on every
/// run with the same seed and, in some runs, NaN predictions. Without oneDNN, libtorch convolves through its own
/// im2col + GEMM path, which repeats bit for bit; it is slower, a price worth a correct model. Only convolutions use
/// oneDNN here; dense layers go through BLAS either way. The switch is process-wide; trainings run one at a time (the
/// trainer's lock) and scoring runs in ONNX Runtime. TorchSharp 0.107 does not wrap it (its
/// <c>use_deterministic_algorithms</c> is marked not implemented), so it is called in libtorch_cpu directly.
/// </remarks>
internal static class OneDnn
{
    /// <summary>Sets the switch; false when this platform's libtorch does not expose it (then oneDNN stays as it was).</summary>
    public static bool TrySetEnabled(bool enabled)
    {
        try
        {
            var context = GlobalContext();
            SetUserEnabledMkldnn(context, enabled);
            // Without oneDNN, libtorch tries NNPACK next; where NNPACK cannot start ("Unsupported hardware", seen on the
            // same EPYC) it falls back to its own convolution after printing a warning per call. Go there directly.
            SetUserEnabledNnpack(context, enabled);
            return UserEnabledMkldnn(context) == enabled;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another platform's C++ name mangling (Windows): training works, but convolutional models may not repeat bit
            // for bit on CPUs where oneDNN reduces in parallel.
            Trace.TraceWarning($"Mta.Models could not switch libtorch's oneDNN kernels ({e.Message}); convolutional training may not be bit-for-bit reproducible.");
            return false;
        }
    }

    // at::globalContext() and at::Context's oneDNN switch (Itanium C++ ABI names; `this` is the first argument).
    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
