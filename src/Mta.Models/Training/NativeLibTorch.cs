using System.Runtime.InteropServices;
using TorchSharp;

namespace Mta.Models.Training;

/// <summary>Checks, before any training work, that the app ships a native libtorch for TorchSharp.</summary>
/// <remarks>
/// Why: Mta.Models references TorchSharp's managed package only (as Microsoft.ML.TorchSharp does), so that scoring
/// apps do not carry libtorch; the app that trains adds the native package. Without one, TorchSharp's first call fails
/// deep inside training with a loader error that does not say what to add; this check says it at once.
/// </remarks>
public static class NativeLibTorch
{
    private static readonly Lock s_lock = new();
    private static bool s_loaded;

    /// <summary>The package to add for this machine's runtime, as the error message names it.</summary>
    public static string PackageForThisRuntime => "libtorch-cpu-" + RuntimeInformation.RuntimeIdentifier switch
    {
        var rid when rid.StartsWith("win", StringComparison.Ordinal) && RuntimeInformation.ProcessArchitecture == Architecture.Arm64 => "win-arm64",
        var rid when rid.StartsWith("win", StringComparison.Ordinal) => "win-x64",
        var rid when rid.StartsWith("osx", StringComparison.Ordinal) => "osx-arm64",
        _ => "linux-x64",
    };

    /// <summary>Loads libtorch once per process.</summary>
    /// <exception cref="InvalidOperationException">No native libtorch could be loaded; the message names the package to add.</exception>
    public static void EnsureLoaded()
    {
        lock (s_lock)
        {
            if (s_loaded)
                return;
            // The app's own libtorch first, found as TorchSharp finds it (deps.json, the app folder). Without one,
            // TorchSharp would go on to copy libtorch out of a local NuGet cache into the app folder (its fallback for
            // notebooks), which works on a developer's machine only; say what to add instead.
            if (!NativeLibrary.TryLoad("torch_cpu", typeof(torch).Assembly, null, out _))
                throw Missing("torch_cpu was not found beside the app or in its dependencies");
            try
            {
                if (!torch.TryInitializeDeviceType(DeviceType.CPU))
                    throw new NotSupportedException("TorchSharp reported no CPU backend.");
            }
            catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw Missing($"{e.GetType().Name}: {e.Message}", e);
            }
            s_loaded = true;
        }
    }

    private static InvalidOperationException Missing(string detail, Exception? inner = null) => new(
        "Training needs the native libtorch, which this app does not ship. Add the package TorchSharp-cpu " +
        $"(every OS) or {PackageForThisRuntime} (this runtime, {RuntimeInformation.RuntimeIdentifier}) to the app that trains: " +
        $"dotnet add package TorchSharp-cpu. Loading and scoring a saved model needs neither. ({detail})", inner);
}
