using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
            ThrowNotFinite(value, nameof(value));
        }

        Span<byte> text = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        writer.WriteRawValue(text[..Format(value, text)], skipInputValidation: true);
    }

    /// <summary>
    /// The error for a metric that is not finite, thrown here: a method that builds the message
    /// itself keeps stack room for it, zeroed on every call, even when it never throws.
    /// </summary>
    [DoesNotReturn]
    internal static void ThrowNotFinite(double value, string paramName) =>
        throw new ArgumentException($"A metric is a finite number, not {value}.", paramName);

    /// <summary>
    /// <see cref="Round"/>(<paramref name="value"/>) written as the levels' writer would write it,
    /// straight from the rounded digits: the same text, without finding them a second time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Format(double value, Span<byte> text)
    {
        var whole = RoundedDigits(value, out var scale);
        return FormatRounded(value, whole, scale, text);
    }

    /// <summary>
    /// <paramref name="value"/> as the levels' writer writes it (<see cref="OrderBookLevelJsonConverter.FormatNumber"/>):
    /// from its rounded digits when rounding to 10 digits leaves it as it is, as it leaves a price,
    /// the same text for less work; else through the levels' writer.
    /// </summary>
    internal static int FormatExact(double value, Span<byte> text)
    {
        var whole = RoundedDigits(value, out var scale);
        return BitConverter.DoubleToInt64Bits(Rounded(value, whole, scale)) == BitConverter.DoubleToInt64Bits(value)
            ? FormatRounded(value, whole, scale, text)
            : OrderBookLevelJsonConverter.FormatNumber(value, text);
    }

    /// <summary><paramref name="whole"/> × 10^-<paramref name="scale"/>, with <paramref name="value"/>'s sign, as the levels' writer would write it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FormatRounded(double value, double whole, int scale, Span<byte> text) => whole switch
    {
        // The sign from the bits: a comparison of doubles costs a NaN test. A zero is written unsigned.
        < Digits => FormatTenDigits(BitConverter.DoubleToInt64Bits(value) < 0, (ulong)whole, scale, text),
        < OrderBookLevelJsonConverter.ExactWholeNumbers => OrderBookLevelJsonConverter.FormatDecimal(value < 0, (ulong)whole, scale, text),
        _ => OrderBookLevelJsonConverter.FormatNumber(Math.CopySign(whole, value), text),
    };

    /// <summary>Room <see cref="FormatTenDigits"/> writes into: a sign, "0.", and two vectors' width.</summary>
    private const int TenDigitsRoom = 2 * 16 + 1;

    /// <summary>
    /// <paramref name="whole"/> (below 10^10) × 10^-<paramref name="scale"/> as <see
    /// cref="OrderBookLevelJsonConverter.FormatDecimal"/> writes it, with the digits found and placed
    /// in registers: no division by a power of ten read from a table, no step per digit, no copy of
    /// a length known only at run time. Each part is written as a whole vector, past the number's
    /// end; the caller's bytes there are not the number's and are written next.
    /// </summary>
    /// <remarks>
    /// Rounding leaves ten digits (<see cref="RoundedDigits"/>) unless the value is below 10^-5,
    /// where the scale stops at 15: only then are they counted and shifted into place.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FormatTenDigits(bool negative, ulong whole, int scale, Span<byte> text)
    {
        if (text.Length < TenDigitsRoom)
        {
            return FormatTenDigitsInRoom(negative, whole, scale, text);
        }

        if (whole == 0)
        {
            text[0] = (byte)'0';
            return 1;
        }

        var (high, low) = Math.DivRem(whole, 100_000_000);
        var eight = EightDigits((uint)low);

        // The ten digits' trailing zeros: eight's zero bytes at its top, or all of low and perhaps high's last.
        var trailingZeros = low != 0 ? BitOperations.LeadingZeroCount(eight) >> 3 : 8 + (high % 10 == 0 ? 1 : 0);
        var dropped = Math.Min(trailingZeros, scale);
        var fractionLength = scale - dropped;

        // The ten digits as text, leading zeros included, in a vector's first ten bytes: high's two
        // from a table of pairs, low's eight from their values.
        var ascii = eight + 0x3030_3030_3030_3030;
        var pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(DigitPairs), (nint)(2 * high)));
        var ten = Vector128.Create(pair | (ascii << 16), ascii >> 48).AsByte();
        var length = 10 - dropped;
        if (whole < 1_000_000_000)
        {
            // Fewer than ten digits: shifted so that the first significant digit comes first.
            var digitCount = DigitCount(whole);
            ten = ShiftedBy(ten, 10 - digitCount);
            length = digitCount - dropped;
        }

        ref var start = ref MemoryMarshal.GetReference(text);
        if (negative)
        {
            start = (byte)'-';
            start = ref Unsafe.Add(ref start, 1);
        }

        var sign = negative ? 1 : 0;
        if (fractionLength == 0)
        {
            ten.StoreUnsafe(ref start);
            return sign + length;
        }

        var integerLength = length - fractionLength;
        if (integerLength > 0)
        {
            ten.StoreUnsafe(ref start);
            ShiftedBy(ten, integerLength).StoreUnsafe(ref start, (nuint)integerLength + 1);
            Unsafe.Add(ref start, integerLength) = (byte)'.';
            return sign + length + 1;
        }

        // Below 1: "0.", the zeros before the first digit, the digits.
        Vector128.Create((byte)'0').StoreUnsafe(ref start);
        Unsafe.Add(ref start, 1) = (byte)'.';
        ten.StoreUnsafe(ref start, (nuint)(2 + fractionLength - length));
        return sign + 2 + fractionLength;
    }

    /// <summary>"00" to "99", two bytes each: a number below 100 as text.</summary>
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>
    /// <see cref="FormatTenDigits"/> for a buffer with less room than it writes: through a room of its
    /// own, kept out of the method that writes every number: a stack buffer keeps a method from being inlined.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatTenDigitsInRoom(bool negative, ulong whole, int scale, Span<byte> text)
    {
        Span<byte> room = stackalloc byte[TenDigitsRoom];
        var written = FormatTenDigits(negative, whole, scale, room);
        room[..written].CopyTo(text);
        return written;
    }

    /// <summary>The bytes of <paramref name="bytes"/> from <paramref name="offset"/> on, first; zeros after its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ShiftedBy(Vector128<byte> bytes, int offset) =>
        Vector128.Shuffle(bytes, Vector128<byte>.Indices + Vector128.Create((byte)offset));

    /// <summary>
    /// <paramref name="value"/> (below 10^8) as eight digits, leading zeros included, one per byte
    /// (0 to 9, the first digit in the lowest byte): split into halves, quarters and digits in
    /// parallel lanes of one integer, each division by a constant done as a multiplication and a
    /// shift that is exact for the lane's range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(uint value)
    {
        var (upper, lower) = Math.DivRem(value, 10_000);
        var lanes = upper | ((ulong)lower << 32);

        // Two lanes below 10^4: x × 10486 >> 20 is x / 100.
        var hundreds = ((lanes * 10_486) >> 20) & 0x0000_007F_0000_007F;
        lanes = hundreds | ((lanes - hundreds * 100) << 16);

        // Four lanes below 100: x × 103 >> 10 is x / 10.
        var tens = ((lanes * 103) >> 10) & 0x000F_000F_000F_000F;
        return tens | ((lanes - tens * 10) << 8);
    }

    /// <summary>How many digits <paramref name="value"/> (below 10^10) has; none for 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DigitCount(ulong value)
    {
        // floor(log10) from the bit length, too low by at most one.
        var estimate = ((64 - BitOperations.LeadingZeroCount(value | 1)) * 1233) >> 12;
        return estimate + (value >= OrderBookLevelJsonConverter.WholePowersOfTen[estimate] ? 1 : 0);
    }

    /// <summary>
    /// To 10 significant digits (fewer below 10^-5, at most 15 decimals; whole at 10^10 and above):
    /// a whole number over a power of ten, divided once, is the double nearest that decimal.
    /// </summary>
    internal static double Round(double value)
    {
        var whole = RoundedDigits(value, out var scale);
        return Rounded(value, whole, scale);
    }

    private static double Rounded(double value, double whole, int scale) =>
        Math.CopySign(whole / OrderBookLevelJsonConverter.PowersOfTen[scale], value);

    /// <summary>
    /// |value| to 10 significant digits as a whole number of 10^-scale: scale is the largest, at
    /// most 15, that keeps |value| × 10^scale below 10^10 (0 if none does).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RoundedDigits(double value, out int scale)
    {
        var magnitude = Math.Abs(value);
        var powers = OrderBookLevelJsonConverter.PowersOfTen;
        var last = powers.Length - 1;

        // Estimated from the binary exponent, then corrected by one step, up or down: magnitude ×
        // 10^s grows with s, so the result is the same as trying every scale from the largest down,
        // which for a sum in the billions was 15 tries and a mispredicted exit. One step is enough:
        // the estimate is floor(log10(2^exponent)) within one (1233 / 4096 is log10 2 within 5e-6),
        // magnitude's own floor(log10) at most one above that, and a product that rounds up to
        // 10^10 comes only from a magnitude just below a power of ten, where the estimate is exact.
        var exponent = (int)(BitConverter.DoubleToInt64Bits(magnitude) >> 52) - 1023;
        scale = Math.Clamp(9 - ((exponent * 1233) >> 12), 0, last);
        if (scale < last && magnitude * powers[scale + 1] < Digits)
        {
            scale++;
        }
        else if (scale > 0 && magnitude * powers[scale] >= Digits)
        {
            scale--;
        }

        return Math.Round(magnitude * powers[scale]);
    }
}
