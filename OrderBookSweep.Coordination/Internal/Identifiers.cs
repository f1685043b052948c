using System.Text.RegularExpressions;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Checks of ids that end up inside keys, job ids and script-built JSON. The allowed characters
/// exclude '|', '"' and '\\', so scripts can join and embed them without escaping.
/// </summary>
internal static partial class Identifiers
{
    public static string Exchange(string? exchange, string paramName = "exchange")
    {
        if (!ExchangeIds.IsWellFormed(exchange))
        {
            throw new ArgumentException($"Exchange id '{exchange}' is not valid: {ExchangeIds.Rule}.", paramName);
        }

        return exchange;
    }

    public static string Holder(string? holderId, string paramName)
    {
        if (holderId is null || !HolderPattern().IsMatch(holderId))
        {
            throw new ArgumentException($"Id '{holderId}' is not valid: 1-200 characters of letters, digits, '_', '-', '.', ':', '@' or '/'.", paramName);
        }

        return holderId;
    }

    public static string Symbol(string? symbol)
    {
        if (string.IsNullOrWhiteSpace(symbol) || symbol.Length > 200 || symbol.Any(char.IsControl))
        {
            throw new ArgumentException($"Symbol '{symbol}' is not valid: 1-200 printable characters.", nameof(symbol));
        }

        return symbol;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:@/-]{1,200}$")]
    private static partial Regex HolderPattern();
}
