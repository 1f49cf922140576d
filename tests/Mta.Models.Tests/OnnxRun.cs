using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Mta.Models.Tests;

/// <summary>Runs an ONNX graph on float rows with ONNX Runtime and returns every output by name (shared by the test projects).</summary>
internal static class OnnxRun
{
    public static Dictionary<string, Array> Outputs(byte[] model, float[] features, int rows, int width)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(features, [rows, width]);
        var names = session.OutputNames.ToArray();
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [session.InputNames[0]], [input], names);
        var map = new Dictionary<string, Array>();
        for (int i = 0; i < names.Length; i++)
        {
            var value = results[i];
            var type = value.GetTensorTypeAndShape().ElementDataType;
            map[names[i]] = type switch
            {
                TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
                TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
                TensorElementType.String => value.GetStringTensorAsArray(),
                _ => throw new InvalidOperationException($"Unexpected output type {type}."),
            };
        }
        return map;
    }
}
