using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>A level as the JSON array <c>[price, amount]</c>, with no array per level in between.</summary>
internal sealed class OrderBookLevelJsonConverter : JsonConverter<OrderBookLevel>
{
    public override OrderBookLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A level is an array [price, amount].");
        }

        var price = ReadNumber(ref reader);
        var amount = ReadNumber(ref reader);
        // Books stored as decimal arrays could carry more elements after the amount.
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }

        return new OrderBookLevel(price, amount);
    }

    public override void Write(Utf8JsonWriter writer, OrderBookLevel value, JsonSerializerOptions options)
    {
        if (!value.IsFinite)
        {
            throw new ArgumentException($"A level is a pair of finite numbers, not [{value.Price}, {value.Amount}].", nameof(value));
        }

        // One raw write per level: the writer's own per-number path costs more than the digits.
        Span<byte> text = stackalloc byte[2 * MaxNumberLength + 3];
        text[0] = (byte)'[';
        var length = 1 + FormatNumber(value.Price, text[1..]);
        text[length++] = (byte)',';
        length += FormatNumber(value.Amount, text[length..]);
        text[length++] = (byte)']';
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>"-1.7976931348623157E+308", the longest shortest round-trip form of a double.</summary>
    internal const int MaxNumberLength = 24;

    /// <summary>Below this a whole number is exact in a double, and the nearest one to a scaled level is unique.</summary>
    internal const double ExactWholeNumbers = 1e15;

    private static readonly (ulong Power, int Places)[] TrailingZeroSteps = [(100_000_000, 8), (10_000, 4), (100, 2), (10, 1)];

    internal static readonly double[] PowersOfTen =
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// <see cref="PowersOfTen"/> as integers. Data in the assembly, not a static array: reading it
    /// needs no check that a class is initialised, a possible call that the ten-digit writer's
    /// registers would be saved around on every number.
    /// </summary>
    internal static ReadOnlySpan<ulong> WholePowersOfTen =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
    ];

    /// <summary>
    /// The shortest decimal that reads back as <paramref name="value"/>: the digits .NET's and
    /// JavaScript's round-trip forms both have. Prices and amounts are mostly short decimals,
    /// written here at a fraction of the cost of .NET's general algorithm, which writes the rest.
    /// </summary>
    /// <remarks>
    /// At the largest scale that keeps the value below 10^15, a decimal of that many places or
    /// fewer that reads back as the value is the whole number nearest to the scaled value (within
    /// 0.2 of it, so unique), which divided back gives the value exactly. Its trailing zeros
    /// dropped, it is the shortest such decimal.
    /// </remarks>
    internal static int FormatNumber(double value, Span<byte> text)
    {
        var magnitude = Math.Abs(value);
        var scale = PowersOfTen.Length - 1;
        while (scale >= 0 && magnitude * PowersOfTen[scale] >= ExactWholeNumbers)
        {
            scale--;
        }

        if (scale >= 0 && Math.Round(magnitude * PowersOfTen[scale]) is var whole && whole / PowersOfTen[scale] == magnitude)
        {
            return FormatDecimal(value < 0, (ulong)whole, scale, text);
        }

        value.TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary><paramref name="digits"/> × 10^-<paramref name="scale"/>, its trailing zeros dropped, in plain notation.</summary>
    internal static int FormatDecimal(bool negative, ulong digits, int scale, Span<byte> text)
    {
        // Trailing zeros off in halving steps: a dependent division per zero would cost more than the rest.
        foreach (var (power, places) in TrailingZeroSteps)
        {
            if (scale >= places && digits % power == 0)
            {
                digits /= power;
                scale -= places;
            }
        }

        return FormatScaled(negative, digits, scale, text);
    }

    /// <summary><paramref name="digits"/> × 10^-<paramref name="scale"/> in plain notation: 1234 at scale 8 is 0.00001234.</summary>
    private static int FormatScaled(bool negative, ulong digits, int scale, Span<byte> text)
    {
        var length = 0;
        if (negative)
        {
            text[length++] = (byte)'-';
        }

        var (whole, fraction) = Math.DivRem(digits, WholePowersOfTen[scale]);
        whole.TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        if (scale == 0)
        {
            return length;
        }

        // 10^scale + fraction is a 1 and then the fraction's `scale` digits, leading zeros included:
        // the 1 becomes the point.
        (WholePowersOfTen[scale] + fraction).TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture);
        text[length] = (byte)'.';
        return length + written;
    }

    private static double ReadNumber(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new JsonException("A level is an array [price, amount] of finite numbers.");
        }

        return value;
    }
}
