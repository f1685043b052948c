namespace OrderBookSweep.ExchangeSimulator;

/// <summary>ccxt's market types.</summary>
public enum MarketType
{
    Spot,
    Swap,
    Future,
    Option,
}

/// <summary>How a contract settles: in its quote currency (linear) or in its base (inverse).</summary>
public enum Margin
{
    Linear,
    Inverse,
}

public enum OptionType
{
    Call,
    Put,
}

/// <summary>Which of the simulator's worlds it serves: a few markets for tests, or the real exchanges' numbers.</summary>
public enum SimulatorProfile
{
    Small,
    Realistic,
}

/// <summary>
/// A listed market with everything ccxt should read back from it. <see cref="Category"/> is the
/// exchange's own name for the group of markets one of its endpoints lists (binance: "spot",
/// "fapi", "dapi"; bybit: "linear"; okx: "SWAP"): market ids are unique within a category only.
/// </summary>
public sealed record SimulatedMarket
{
    public required string Exchange { get; init; }

    public required string Category { get; init; }

    /// <summary>The exchange's own id ("BTCUSDT", "BTC-USD-SWAP").</summary>
    public required string Id { get; init; }

    /// <summary>ccxt's unified symbol: BASE/QUOTE, then :SETTLE for contracts, -YYMMDD for expiring ones, -STRIKE-C|P for options.</summary>
    public required string Symbol { get; init; }

    public required string Base { get; init; }

    public required string Quote { get; init; }

    /// <summary>The settle currency of a contract; null for spot.</summary>
    public string? Settle { get; init; }

    public required MarketType Type { get; init; }

    /// <summary>Null for spot.</summary>
    public Margin? Margin { get; init; }

    /// <summary>Units of the base (linear) or of the quote (inverse) in one contract; null for spot.</summary>
    public decimal? ContractSize { get; init; }

    public DateTimeOffset? Expiry { get; init; }

    public decimal? Strike { get; init; }

    public OptionType? OptionType { get; init; }

    /// <summary>Decimals of the tick: prices are whole multiples of 10^-PriceDecimals.</summary>
    public required int PriceDecimals { get; init; }

    /// <summary>Decimals of the amounts (0 for exchanges that count whole contracts).</summary>
    public required int AmountDecimals { get; init; }

    /// <summary>Where the instrument trades, in its price currency (see <see cref="FairPrices"/>).</summary>
    public required double FairPrice { get; init; }

    public bool IsContract => Type != MarketType.Spot;
}

/// <summary>
/// What an exchange lists in one category: markets of one type, how many in each profile, and the
/// contract terms. Futures take the next quarterly expiries, options the next weekly ones and strikes
/// around the index, over the first <see cref="Underlyings"/> base currencies.
/// </summary>
public sealed record Listing(string Category, MarketType Type, int Small, int Realistic)
{
    public Margin? Margin { get; init; }

    public string Quote { get; init; } = "USDT";

    /// <summary>Null: the quote for linear contracts, the base for inverse ones.</summary>
    public string? Settle { get; init; }

    public decimal ContractSize { get; init; } = 1;

    /// <summary>Options and futures: how many base currencies (BTC, ETH, ...) they are written on.</summary>
    public int Underlyings { get; init; } = 2;

    /// <summary>Options and futures: how many expiries each underlying has.</summary>
    public int Expiries { get; init; } = 2;

    public int PriceDecimals { get; init; } = 2;

    public int AmountDecimals { get; init; } = 4;

    public int Count(SimulatorProfile profile) => profile == SimulatorProfile.Realistic ? Realistic : Small;
}
