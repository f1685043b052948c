using System.Text.RegularExpressions;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The shape of an exchange id, the one rule every part of the system checks input against
/// (AppHost settings, the scheduler's API, the Redis scripts). Every ccxt id fits it; the
/// characters it leaves out ('|', '"', '\\', ':' ...) let scripts join ids into keys and JSON
/// without escaping.
/// </summary>
public static partial class ExchangeIds
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1-64 characters of lower-case letters, digits, '_', '-' or '.', starting with a letter or digit";

    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex Pattern();
}
