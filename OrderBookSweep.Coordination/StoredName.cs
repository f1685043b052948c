using System.Reflection;
using System.Text.Json.Serialization;

namespace OrderBookSweep.Coordination;

/// <summary>
/// An enum value's stored name, read from its <see cref="JsonStringEnumMemberNameAttribute"/>: the
/// one spelling that JSON, the sweep hash's fields and the scripts share.
/// </summary>
public static class StoredName<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(
        value => value,
        value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} has no stored name."));

    private static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal);

    public static IReadOnlyDictionary<TEnum, string> All => Names;

    public static string Of(TEnum value) => Names[value];

    /// <summary>The value stored as <paramref name="name"/>, if it is one of the stored names.</summary>
    public static bool TryParse(string name, out TEnum value) => Values.TryGetValue(name, out value);

    /// <exception cref="InvalidDataException">Not one of the stored names.</exception>
    public static TEnum Parse(string name, string key) =>
        Values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidDataException($"Redis key '{key}' holds '{name}', which is not a {typeof(TEnum).Name}.");
}
