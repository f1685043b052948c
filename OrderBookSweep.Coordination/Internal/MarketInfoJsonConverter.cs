using System.Buffers;
using System.Text.Json;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// <see cref="MarketInfo"/> as the generated serialiser writes it, formatted once for a book and
/// its market index entry (<see cref="LastWrittenJsonConverter{T}"/>).
/// </summary>
internal sealed class MarketInfoJsonConverter : LastWrittenJsonConverter<MarketInfo>
{
    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public override MarketInfo? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, CoordinationJsonContext.Default.MarketInfo);

    protected override void Format(MarketInfo value, IBufferWriter<byte> json)
    {
        var writer = _writer ??= new Utf8JsonWriter(json);
        writer.Reset(json);
        JsonSerializer.Serialize(writer, value, CoordinationJsonContext.Default.MarketInfo);
        writer.Flush();
    }
}
