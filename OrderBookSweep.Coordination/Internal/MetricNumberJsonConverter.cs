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

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"A metric is a finite number, not {value}.", nameof(value));
        }

        Span<byte> text = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        writer.WriteRawValue(text[..Format(value, text)], skipInputValidation: true);
    }

    /// <summary>
    /// <see cref="Round"/>(<paramref name="value"/>) written as the levels' writer would write it,
    /// straight from the rounded digits: the same text, without finding them a second time.
    /// </summary>
    internal static int Format(double value, Span<byte> text)
    {
        var whole = RoundedDigits(value, out var scale);
        return whole < OrderBookLevelJsonConverter.ExactWholeNumbers
            ? OrderBookLevelJsonConverter.FormatDecimal(value < 0 && whole != 0, (ulong)whole, scale, text)
            : OrderBookLevelJsonConverter.FormatNumber(Math.CopySign(whole, value), text);
    }

    /// <summary>
    /// To 10 significant digits (fewer below 10^-5, at most 15 decimals; whole at 10^10 and above):
    /// a whole number over a power of ten, divided once, is the double nearest that decimal.
    /// </summary>
    internal static double Round(double value)
    {
        var whole = RoundedDigits(value, out var scale);
        return Math.CopySign(whole / OrderBookLevelJsonConverter.PowersOfTen[scale], value);
    }

    /// <summary>|value| to 10 significant digits as a whole number of 10^-scale.</summary>
    private static double RoundedDigits(double value, out int scale)
    {
        var magnitude = Math.Abs(value);
        scale = OrderBookLevelJsonConverter.PowersOfTen.Length - 1;
        while (scale > 0 && magnitude * OrderBookLevelJsonConverter.PowersOfTen[scale] >= Digits)
        {
            scale--;
        }

        return Math.Round(magnitude * OrderBookLevelJsonConverter.PowersOfTen[scale]);
    }
}
