using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The JSON form of every stored payload: camelCase names, times as Unix milliseconds (the
/// same form the scripts write, readable in any language), nulls written out, the format
/// version first (<see cref="StoredPayload"/>).
/// </summary>
internal static class CoordinationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new UnixMillisecondsConverter(), new NullableUnixMillisecondsConverter() },
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string Write<T>(T value)
        where T : StoredPayload => JsonSerializer.Serialize(value, Options);

    /// <summary>Straight to UTF-8, the form Redis stores: no string in between, no second encoding.</summary>
    public static byte[] WriteUtf8<T>(T value)
        where T : StoredPayload => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Reads a stored payload; a value that is not ours, or of a format version we don't know, gives a clear error naming the key.</summary>
    public static T Read<T>(string json, string key)
        where T : StoredPayload
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Redis key '{key}' does not hold a valid {typeof(T).Name} payload: {e.Message}", e);
        }

        return value switch
        {
            null => throw new InvalidDataException($"Redis key '{key}' holds null instead of a {typeof(T).Name}."),
            { V: not StoredPayload.CurrentVersion } => throw new InvalidDataException(
                $"Redis key '{key}' holds a {typeof(T).Name} of format version {value.V}; this build reads version {StoredPayload.CurrentVersion}."),
            _ => value,
        };
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
