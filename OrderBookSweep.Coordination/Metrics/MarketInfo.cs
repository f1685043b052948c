using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace OrderBookSweep.Coordination.Metrics;

/// <summary>
/// What a book's metrics depend on, from ccxt's market: its type, currencies and contract terms.
/// ccxt gives a derivative's book amounts in contracts; <see cref="ContractSize"/> turns them into
/// currency (docs/metrics.md).
/// </summary>
/// <param name="MarketType">spot, swap, future or option.</param>
/// <param name="Base">The base currency (BTC in BTC/USDT).</param>
/// <param name="Quote">The quote currency, the unit of every price and of the quote notionals.</param>
/// <param name="Settle">The currency a contract settles in; null on spot.</param>
/// <param name="ContractSize">
/// Per contract: base currency on a linear contract, quote currency on an inverse one; null on
/// spot (or where the exchange does not say).
/// </param>
/// <param name="Linear">A linear contract (settled in the quote currency); null on spot.</param>
/// <param name="Inverse">An inverse contract (settled in the base currency); null on spot.</param>
public sealed record MarketInfo(
    MarketType MarketType,
    string Base,
    string Quote,
    string? Settle,
    double? ContractSize,
    bool? Linear,
    bool? Inverse)
{
    /// <summary>The longest currency code kept: codes are short, and they become part of index keys.</summary>
    public const int MaxCurrencyLength = 64;

    /// <summary>A currency code an exchange's market may carry: 1 to <see cref="MaxCurrencyLength"/> printable characters.</summary>
    public static bool IsCurrency([NotNullWhen(true)] string? code) =>
        !string.IsNullOrWhiteSpace(code) && code.Length <= MaxCurrencyLength && code.AsSpan().IndexOfAny(ControlCharacters) < 0;

    /// <summary>What <see cref="char.IsControl(char)"/> is true for: U+0000–U+001F and U+007F–U+009F.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)]);

    /// <summary>How one level's amount becomes base and quote, or null where no sound rule exists (options, unknown contract terms).</summary>
    internal LevelTerms? Terms => MarketType switch
    {
        MarketType.Spot => new LevelTerms(1, IsInverse: false),
        MarketType.Swap or MarketType.Future when ContractSize is { } size && size > 0 && double.IsFinite(size) => (Linear, Inverse) switch
        {
            (true, not true) => new LevelTerms(size, IsInverse: false),
            (not true, true) => new LevelTerms(size, IsInverse: true),
            _ => null,
        },
        _ => null,
    };
}

/// <summary>
/// A level of <c>amount</c> at <c>price</c> holds, in base and quote currency: linear (spot is
/// linear with size 1) <c>amount × size</c> and <c>price × amount × size</c>; inverse
/// <c>amount × size / price</c> and <c>amount × size</c>. Either way quote = base × price.
/// </summary>
/// <remarks>Which kind a market's levels are; the walk computes them with <see cref="LinearTerms"/>, <see cref="InverseTerms"/> or <see cref="SpotTerms"/>.</remarks>
internal readonly record struct LevelTerms(double Size, bool IsInverse);

/// <summary>
/// One kind of <see cref="LevelTerms"/> as static members: the walk over a side's levels is
/// compiled once per kind, with no test of the kind and no multiplication by a size of 1 per level.
/// </summary>
internal interface ILevelTerms
{
    static abstract double Base(OrderBookLevel level, double size);

    static abstract double Quote(OrderBookLevel level, double size);
}

internal readonly struct LinearTerms : ILevelTerms
{
    public static double Base(OrderBookLevel level, double size) => level.Amount * size;

    public static double Quote(OrderBookLevel level, double size) => level.Price * level.Amount * size;
}

internal readonly struct InverseTerms : ILevelTerms
{
    public static double Base(OrderBookLevel level, double size) => level.Amount * size / level.Price;

    public static double Quote(OrderBookLevel level, double size) => level.Amount * size;
}

/// <summary>Linear with a size of 1, the same doubles: a product with 1 is exact.</summary>
internal readonly struct SpotTerms : ILevelTerms
{
    public static double Base(OrderBookLevel level, double size) => level.Amount;

    public static double Quote(OrderBookLevel level, double size) => level.Price * level.Amount;
}
