namespace Mta.MLNet.Scoring;

/// <summary>
/// Retries an ML.NET call that loads an ONNX model from bytes when ONNX Runtime took the model for its own ORT format.
/// </summary>
/// <remarks>
/// Why: ML.NET's OnnxTransformer writes in-memory model bytes to a temporary file named by
/// <see cref="Path.GetRandomFileName"/> ("xxxxxxxx.xxx", three random characters after the dot) and ONNX Runtime
/// loads a path that ends in ".ort" as an ORT-format model, failing with "ORT model verification failed". That
/// happens for the rare random name that ends so, on Fit and on Load alike. A second attempt draws another name. Only that message
/// is retried: any other failure is the model's or the user's and is thrown at once.
/// </remarks>
internal static class TempModelFileRetry
{
    internal const string OrtFormatMisread = "ORT model verification failed";

    // Three such names in a row are beyond chance: anything failing that often is another fault.
    private const int Attempts = 3;

    public static T Run<T>(Func<T> load)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return load();
            }
            catch (Exception e) when (attempt < Attempts && IsOrtFormatMisread(e))
            {
            }
        }
    }

    internal static bool IsOrtFormatMisread(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner.Message.Contains(OrtFormatMisread, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
