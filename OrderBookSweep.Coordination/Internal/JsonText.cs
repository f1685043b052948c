using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// JSON written straight into a buffer sized by its caller, for the payloads written with every
/// stored book (<see cref="BookMetricsJsonConverter"/>, <see cref="MarketInfoJsonConverter"/>,
/// <see cref="MarketVenueJson"/>): the generated serialiser's text, without its per-property path.
/// </summary>
internal ref struct JsonText(Span<byte> buffer)
{
    /// <summary>The longest string <see cref="String"/> writes for <paramref name="chars"/> UTF-16 characters: each escaped as \uXXXX, quoted.</summary>
    public static int MaxStringLength(int chars) => 6 * chars + 2;

    /// <summary>Characters the serialiser's encoder writes as they are: a currency code is mostly these.</summary>
    private static readonly SearchValues<char> PlainCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    private readonly Span<byte> _buffer = buffer;

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

    public void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Length..]);
        Length += bytes.Length;
    }

    /// <summary>Again, the bytes already written from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public void Repeat(int start, int end) => Raw(_buffer[start..end]);

    /// <summary>An integer or a double as the serialiser writes it: invariant, a double as the shortest text that reads back as it.</summary>
    public void Formatted<T>(T value)
        where T : struct, IUtf8SpanFormattable
    {
        value.TryFormat(_buffer[Length..], out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    /// <summary>As <see cref="Formatted{T}(T)"/>; null written as null.</summary>
    public void Formatted<T>(T? value)
        where T : struct, IUtf8SpanFormattable
    {
        if (value is { } number)
        {
            Formatted(number);
        }
        else
        {
            Raw("null"u8);
        }
    }

    /// <summary>A finite number as the levels are written, or as a computed metric (<see cref="MetricNumberJsonConverter"/>) when <paramref name="rounded"/>.</summary>
    /// <exception cref="ArgumentException">The number is not finite.</exception>
    public void Number(double? value, bool rounded)
    {
        if (value is not { } number)
        {
            Raw("null"u8);
            return;
        }

        if (!double.IsFinite(number))
        {
            MetricNumberJsonConverter.ThrowNotFinite(number, nameof(value));
        }

        Length += rounded ? MetricNumberJsonConverter.Format(number, _buffer[Length..]) : MetricNumberJsonConverter.FormatExact(number, _buffer[Length..]);
    }

    /// <summary>A string, escaped as the serialiser's default encoder escapes it; null written as null.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Raw("null"u8);
            return;
        }

        if (value.AsSpan().IndexOfAnyExcept(PlainCharacters) >= 0)
        {
            Raw("\""u8);
            Raw(JsonEncodedText.Encode(value).EncodedUtf8Bytes);
            Raw("\""u8);
            return;
        }

        _buffer[Length++] = (byte)'"';
        Length += Encoding.ASCII.GetBytes(value, _buffer[Length..]);
        _buffer[Length++] = (byte)'"';
    }

    public void Boolean(bool? value) => Raw(value switch
    {
        true => "true"u8,
        false => "false"u8,
        null => "null"u8,
    });
}
