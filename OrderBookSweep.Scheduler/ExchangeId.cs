using System.Text.RegularExpressions;

namespace OrderBookSweep.Scheduler;

/// <summary>The shape of a ccxt exchange id, checked before asking whether ccxt knows it.</summary>
public static partial class ExchangeId
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_]{0,63}$")]
    private static partial Regex Shape();

    public static bool IsWellFormed(string? id) => id is not null && Shape().IsMatch(id);
}
