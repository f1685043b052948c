using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// One side of a book as the exchanges send it: <c>[["price", "amount", ...tail], ...]</c>, price and
/// amount as strings (or as JSON numbers, <see cref="Numbers"/>), then what the exchange adds to each
/// level (a timestamp, a count). Written
/// straight to UTF-8: a book is a few hundred numbers, and making a string and an array for each
/// took a large share of the simulator's CPU, which on a small machine the system under test needs.
/// </summary>
[JsonConverter(typeof(BookSideConverter))]
public sealed class BookSide(IReadOnlyList<BookLevel> levels, IReadOnlyList<object> tail)
{
    public IReadOnlyList<BookLevel> Levels => levels;

    /// <summary>Written after price and amount on every level: strings and whole numbers.</summary>
    public IReadOnlyList<object> Tail => tail;

    /// <summary>Price and amount as JSON numbers (htx, krakenfutures) rather than strings.</summary>
    public bool Numbers { get; init; }
}

internal sealed class BookSideConverter : JsonConverter<BookSide>
{
    public override BookSide Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The simulator only writes books.");

    public override void Write(Utf8JsonWriter writer, BookSide side, JsonSerializerOptions options)
    {
        Span<byte> number = stackalloc byte[32];
        writer.WriteStartArray();
        foreach (var level in side.Levels)
        {
            writer.WriteStartArray();
            if (side.Numbers)
            {
                writer.WriteNumberValue(level.Price);
                writer.WriteNumberValue(level.Amount);
            }
            else
            {
                WriteText(writer, level.Price, number);
                WriteText(writer, level.Amount, number);
            }
            foreach (var extra in side.Tail)
            {
                switch (extra)
                {
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case long whole:
                        writer.WriteNumberValue(whole);
                        break;
                    default:
                        throw new NotSupportedException($"A level element of type {extra.GetType()}.");
                }
            }
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    // The same digits as decimal.ToString(CultureInfo.InvariantCulture), without the string.
    private static void WriteText(Utf8JsonWriter writer, decimal value, Span<byte> buffer)
    {
        Utf8Formatter.TryFormat(value, buffer, out var written);
        writer.WriteStringValue(buffer[..written]);
    }
}
