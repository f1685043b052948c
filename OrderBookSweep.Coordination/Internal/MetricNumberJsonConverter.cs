using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
        return whole switch
        {
            < Digits => FormatTenDigits(value < 0 && whole != 0, (ulong)whole, scale, text),
            < OrderBookLevelJsonConverter.ExactWholeNumbers => OrderBookLevelJsonConverter.FormatDecimal(value < 0, (ulong)whole, scale, text),
            _ => OrderBookLevelJsonConverter.FormatNumber(Math.CopySign(whole, value), text),
        };
    }

    /// <summary>
    /// <paramref name="whole"/> (below 10^10) × 10^-<paramref name="scale"/> as <see
    /// cref="OrderBookLevelJsonConverter.FormatDecimal"/> writes it, without its divisions by a
    /// power of ten read from a table and its two integer formattings, which cost more than the
    /// rest of a metric: the ten digits, leading zeros included, into a field of 16 integer and 16
    /// fraction places of zeros, then the figures from the first of the integer part to the last of
    /// the fraction copied out.
    /// </summary>
    private static int FormatTenDigits(bool negative, ulong whole, int scale, Span<byte> text)
    {
        var zeros = Vector128.Create((byte)'0');
        Span<byte> field = stackalloc byte[2 * Vector128<byte>.Count];
        zeros.CopyTo(field);
        zeros.CopyTo(field[Vector128<byte>.Count..]);
        var digits = field.Slice(Vector128<byte>.Count + scale - 10, 10);
        var (high, low) = Math.DivRem(whole, 100_000);
        WriteFiveDigits((uint)high, digits);
        WriteFiveDigits((uint)low, digits[5..]);

        // The first figure: whole's first digit, or the 0 before the point. Found from whole's length,
        // not by reading the field back: a wide load of bytes just stored one by one would stall.
        var integerStart = Math.Min(Vector128<byte>.Count + scale - DigitCount(whole), Vector128<byte>.Count - 1);
        var fractionEnd = Vector128<byte>.Count + scale;
        while (fractionEnd > Vector128<byte>.Count && field[fractionEnd - 1] == (byte)'0')
        {
            fractionEnd--;
        }

        var fractionLength = fractionEnd - Vector128<byte>.Count;
        var length = 0;
        if (negative)
        {
            text[length++] = (byte)'-';
        }

        field[integerStart..Vector128<byte>.Count].CopyTo(text[length..]);
        length += Vector128<byte>.Count - integerStart;
        if (fractionLength > 0)
        {
            text[length++] = (byte)'.';
            field.Slice(Vector128<byte>.Count, fractionLength).CopyTo(text[length..]);
            length += fractionLength;
        }

        return length;
    }

    /// <summary>How many digits <paramref name="value"/> (below 10^10) has; none for 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitCount(ulong value)
    {
        // floor(log10) from the bit length, too low by at most one.
        var estimate = ((64 - BitOperations.LeadingZeroCount(value | 1)) * 1233) >> 12;
        return estimate + (value >= TenPowers[estimate] ? 1 : 0);
    }

    private static readonly ulong[] TenPowers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000];

    /// <summary>A number below 100,000 as five digits, leading zeros included: one digit and two pairs from a table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteFiveDigits(uint value, Span<byte> digits)
    {
        var (upper, last) = Math.DivRem(value, 100);
        var (first, middle) = Math.DivRem(upper, 100);
        digits[0] = (byte)('0' + first);
        digits[1] = DigitPairs[(int)(2 * middle)];
        digits[2] = DigitPairs[(int)(2 * middle + 1)];
        digits[3] = DigitPairs[(int)(2 * last)];
        digits[4] = DigitPairs[(int)(2 * last + 1)];
    }

    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>
    /// To 10 significant digits (fewer below 10^-5, at most 15 decimals; whole at 10^10 and above):
    /// a whole number over a power of ten, divided once, is the double nearest that decimal.
    /// </summary>
    internal static double Round(double value)
    {
        var whole = RoundedDigits(value, out var scale);
        return Math.CopySign(whole / OrderBookLevelJsonConverter.PowersOfTen[scale], value);
    }

    /// <summary>
    /// |value| to 10 significant digits as a whole number of 10^-scale: scale is the largest, at
    /// most 15, that keeps |value| × 10^scale below 10^10 (0 if none does).
    /// </summary>
    private static double RoundedDigits(double value, out int scale)
    {
        var magnitude = Math.Abs(value);
        var powers = OrderBookLevelJsonConverter.PowersOfTen;
        var last = powers.Length - 1;

        // Estimated from the binary exponent (floor(log10) within one), then corrected both ways:
        // magnitude × 10^s grows with s, so the result is the same as trying every scale from the
        // largest down, which for a sum in the billions was 15 tries and a mispredicted exit.
        var exponent = (int)(BitConverter.DoubleToInt64Bits(magnitude) >> 52) - 1023;
        scale = Math.Clamp(9 - ((exponent * 1233) >> 12), 0, last);
        while (scale < last && magnitude * powers[scale + 1] < Digits)
        {
            scale++;
        }

        while (scale > 0 && magnitude * powers[scale] >= Digits)
        {
            scale--;
        }

        return Math.Round(magnitude * powers[scale]);
    }
}
