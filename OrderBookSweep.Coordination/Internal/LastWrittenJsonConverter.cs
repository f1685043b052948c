using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// A converter that keeps, per thread, the JSON of the value it wrote last: a book's market and
/// metrics are written again right after the book, into its market index entry, which then copies
/// the bytes instead of formatting them a second time (the seam benchmark's notes, "The book path's metrics").
/// </summary>
internal abstract class LastWrittenJsonConverter<T> : JsonConverter<T>
    where T : class
{
    [ThreadStatic]
    private static T? _source;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _json;

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteRawValue(JsonOf(value), skipInputValidation: true);

    /// <summary><paramref name="value"/>'s JSON: formatted, unless it is the value this thread wrote last.</summary>
    /// <remarks>Valid until this thread writes another <typeparamref name="T"/>.</remarks>
    public ReadOnlySpan<byte> JsonOf(T value)
    {
        var json = _json ??= new ArrayBufferWriter<byte>(1024);
        if (!ReferenceEquals(_source, value))
        {
            // Cleared first: a value that fails half way must not leave a half-written memo.
            _source = null;
            json.ResetWrittenCount();
            Format(value, json);
            _source = value;
        }

        return json.WrittenSpan;
    }

    /// <summary>Writes <paramref name="value"/>'s JSON, whole, into <paramref name="json"/>.</summary>
    protected abstract void Format(T value, IBufferWriter<byte> json);
}
