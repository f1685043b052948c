using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The JSON form of every stored payload: camelCase names, times as Unix milliseconds (the
/// same form the scripts write, readable in any language), nulls written out.
/// </summary>
internal static class CoordinationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new UnixMillisecondsConverter(), new NullableUnixMillisecondsConverter() },
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Serializes a payload with the format version <c>"v": 1</c> as its first property.</summary>
    /// <remarks>Spliced into the serialized object (a book's notification is one per book): so the
    /// payload types must not have a V of their own, which <see cref="PayloadType{T}"/> checks once per type.</remarks>
    public static string Versioned<T>(T value)
    {
        if (PayloadType<T>.HasOwnV)
        {
            throw new InvalidOperationException($"{typeof(T).Name} has its own V property; Versioned would write it twice.");
        }

        var body = JsonSerializer.Serialize(value, Options);
        return body == "{}" ? """{"v":1}""" : """{"v":1,""" + body[1..];
    }

    /// <summary>Reads a stored payload; a value that is not ours gives a clear error naming the key.</summary>
    public static T Read<T>(string json, string key)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new InvalidDataException($"Redis key '{key}' holds null instead of a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Redis key '{key}' does not hold a valid {typeof(T).Name} payload: {e.Message}", e);
        }
    }

    private static class PayloadType<T>
    {
        public static readonly bool HasOwnV = typeof(T).GetProperty("V") is not null;
    }

    private sealed class UnixMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
    }

    private sealed class NullableUnixMillisecondsConverter : JsonConverter<DateTimeOffset?>
    {
        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is { } v)
            {
                writer.WriteNumberValue(v.ToUnixTimeMilliseconds());
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
