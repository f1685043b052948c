using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The JSON form of every stored payload: camelCase names, times as Unix milliseconds (the
/// same form the scripts write, readable in any language), nulls written out, the format
/// version first (<see cref="StoredPayload"/>). Generated at build time
/// (<see cref="CoordinationJsonContext"/>), not by reflection: the worker is compiled ahead of time.
/// </summary>
internal static class CoordinationJson
{
    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string Write<T>(T value)
        where T : StoredPayload => JsonSerializer.Serialize(value, TypeInfo<T>());

    /// <summary>Straight to UTF-8, the form Redis stores: no string in between, no second encoding.</summary>
    public static byte[] WriteUtf8<T>(T value)
        where T : StoredPayload => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <summary>Reads a stored payload; a value that is not ours, or of a format version we don't know, gives a clear error naming the key.</summary>
    public static T Read<T>(string json, string key)
        where T : StoredPayload
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, TypeInfo<T>());
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

    /// <summary>A payload type the context does not list is a build mistake, said as one.</summary>
    private static JsonTypeInfo<T> TypeInfo<T>()
        where T : StoredPayload =>
        CoordinationJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not listed in {nameof(CoordinationJsonContext)}.");

    internal sealed class UnixMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
    }

    internal sealed class NullableUnixMillisecondsConverter : JsonConverter<DateTimeOffset?>
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
