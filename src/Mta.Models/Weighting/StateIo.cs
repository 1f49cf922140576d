namespace Mta.Models.Weighting;

/// <summary>Reads and writes the small arrays that make up a loss weighting's checkpointed state.</summary>
internal static class StateIo
{
    public static void Write(BinaryWriter writer, IReadOnlyList<double> values)
    {
        writer.Write(values.Count);
        foreach (double v in values)
            writer.Write(v);
    }

    public static double[] Read(BinaryReader reader, int expectedCount)
    {
        int count = reader.ReadInt32();
        if (count != expectedCount)
            throw new InvalidDataException($"loss weighting state has {count} values, expected {expectedCount}.");
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = reader.ReadDouble();
        return values;
    }

    public static void WriteOptional(BinaryWriter writer, IReadOnlyList<double>? values)
    {
        writer.Write(values is not null);
        if (values is not null)
            Write(writer, values);
    }

    public static double[]? ReadOptional(BinaryReader reader, int expectedCount) =>
        reader.ReadBoolean() ? Read(reader, expectedCount) : null;
}
