using System.Buffers;
using System.Text.Json;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// <see cref="MarketInfo"/> as the generated serialiser writes it (names, order, escaping, nulls
/// written out), straight into its buffer (<see cref="JsonText"/>), and formatted once for a book
/// and its market index entry (<see cref="LastWrittenJsonConverter{T}"/>).
/// </summary>
/// <remarks>
/// Through the serialiser's per-property path, or even property by property on a writer, its seven
/// properties cost more than their bytes (the seam benchmark's notes, "The book path's metrics").
/// </remarks>
internal sealed class MarketInfoJsonConverter : LastWrittenJsonConverter<MarketInfo>
{
    /// <summary>Each market type's JSON string, as its converter writes it, by value.</summary>
    private static readonly byte[][] TypeNames =
        [.. Enum.GetValues<MarketType>().Select(type => JsonSerializer.SerializeToUtf8Bytes(type, CoordinationJsonContext.Default.MarketType)[1..^1])];

    /// <summary>Bytes of everything but the strings and the contract size.</summary>
    private const int FixedBytes = 128;

    public override MarketInfo? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, CoordinationJsonContext.Default.MarketInfo);

    protected override void Format(MarketInfo value, IBufferWriter<byte> json)
    {
        if ((uint)value.MarketType >= (uint)TypeNames.Length)
        {
            // Not a declared type (a stored payload can hold any number): as the serialiser writes it.
            using var writer = new Utf8JsonWriter(json);
            JsonSerializer.Serialize(writer, value, CoordinationJsonContext.Default.MarketInfo);
            return;
        }

        var bound = FixedBytes + OrderBookLevelJsonConverter.MaxNumberLength
            // Base and quote may be null after all in a payload read back from Redis.
            + JsonText.MaxStringLength(value.Base?.Length ?? 0) + JsonText.MaxStringLength(value.Quote?.Length ?? 0) + JsonText.MaxStringLength(value.Settle?.Length ?? 0);
        var text = new JsonText(json.GetSpan(bound));
        text.Raw("{\"marketType\":\""u8);
        text.Raw(TypeNames[(int)value.MarketType]);
        text.Raw("\",\"base\":"u8);
        text.String(value.Base);
        text.Raw(",\"quote\":"u8);
        text.String(value.Quote);
        text.Raw(",\"settle\":"u8);
        text.String(value.Settle);
        text.Raw(",\"contractSize\":"u8);
        text.Formatted(value.ContractSize);
        text.Raw(",\"linear\":"u8);
        text.Boolean(value.Linear);
        text.Raw(",\"inverse\":"u8);
        text.Boolean(value.Inverse);
        text.Raw("}"u8);
        json.Advance(text.Length);
    }
}
