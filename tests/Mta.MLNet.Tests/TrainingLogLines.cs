using Microsoft.ML;

namespace Mta.MLNet.Tests;

/// <summary>Collects the lines Mta.MLNet writes to an <see cref="MLContext"/>'s log (its "MultiTask" channels).</summary>
internal static class TrainingLogLines
{
    public static List<string> Capture(MLContext ml)
    {
        var lines = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.StartsWith("MultiTask", StringComparison.Ordinal))
                lock (lines)
                    lines.Add(e.RawMessage);
        };
        return lines;
    }
}
