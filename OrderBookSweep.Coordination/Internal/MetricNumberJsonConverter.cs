using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// A computed metric (a sum, an average, basis points) written to 10 significant digits through
/// the levels' short-decimal writer: its last digits are float noise, and .NET's general
/// round-trip formatting of 17 of them costs several times the metric's own arithmetic.
/// </summary>
internal sealed class MetricNumberJsonConverter : JsonConverter<double>
{
    private const double Digits = 1e10;

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"A metric is a finite number, not {value}.", nameof(value));
        }

        Span<byte> text = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        writer.WriteRawValue(text[..OrderBookLevelJsonConverter.FormatNumber(Round(value), text)], skipInputValidation: true);
    }

    /// <summary>
    /// To 10 significant digits (fewer below 10^-5, at most 15 decimals; whole at 10^10 and above):
    /// a whole number over a power of ten, divided once, is the double nearest that decimal.
    /// </summary>
    internal static double Round(double value)
    {
        var magnitude = Math.Abs(value);
        var scale = PowersOfTen.Length - 1;
        while (scale > 0 && magnitude * PowersOfTen[scale] >= Digits)
        {
            scale--;
        }

        return Math.Round(value * PowersOfTen[scale]) / PowersOfTen[scale];
    }
}
