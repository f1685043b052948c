using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// <see cref="MarketInfo"/> as the generated serialiser writes it, the last one written on a
/// thread kept: the market index entry written right after its book copies the bytes instead of
/// serialising the market a second time (docs/performance.md, "Book path").
/// </summary>
internal sealed class MarketInfoJsonConverter : JsonConverter<MarketInfo>
{
    [ThreadStatic]
    private static LastWritten? _last;

    public override MarketInfo? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, CoordinationJsonContext.Default.MarketInfo);

    public override void Write(Utf8JsonWriter writer, MarketInfo value, JsonSerializerOptions options)
    {
        var last = _last ??= new LastWritten();
        if (!ReferenceEquals(last.Source, value))
        {
            last.Format(value);
        }

        writer.WriteRawValue(last.Json.WrittenSpan, skipInputValidation: true);
    }

    private sealed class LastWritten
    {
        private readonly Utf8JsonWriter _writer = new(Stream.Null);

        public MarketInfo? Source { get; private set; }

        public ArrayBufferWriter<byte> Json { get; } = new(256);

        public void Format(MarketInfo market)
        {
            Source = null;
            Json.ResetWrittenCount();
            _writer.Reset(Json);
            JsonSerializer.Serialize(_writer, market, CoordinationJsonContext.Default.MarketInfo);
            _writer.Flush();
            Source = market;
        }
    }
}
