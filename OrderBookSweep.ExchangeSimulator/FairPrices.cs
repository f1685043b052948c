namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// Where each instrument trades, so that books look like the real thing: an index per base currency,
/// swaps a hair above it, futures above it by a yearly basis, options at a Black-Scholes premium (in
/// the base currency where they settle in it). Fixed when the catalog is built, from the day it is
/// built on, so a book depends on (exchange, symbol, sequence) and that day only.
/// </summary>
public static class FairPrices
{
    private const double Volatility = 0.6;
    private const double FuturesBasisPerYear = 0.06;
    private const double SwapPremium = 0.0001;

    /// <summary>
    /// 200 to 100,200 units: at 2 decimals, at least 20,000 ticks below the price, enough for 5,000 levels
    /// of up to 3 ticks on the bid side.
    /// </summary>
    public static double Index(string baseCurrency) => 200 + BookGenerator.StableHash(baseCurrency) % 100_000;

    public static double Of(SimulatedMarket market, DateTimeOffset now)
    {
        var index = Index(market.Base);
        return market.Type switch
        {
            MarketType.Spot => index,
            MarketType.Swap => index * (1 + SwapPremium),
            MarketType.Future => index * (1 + FuturesBasisPerYear * Years(market.Expiry!.Value, now)),
            MarketType.Option => OptionPremium(market, index, now),
            _ => throw new ArgumentOutOfRangeException(nameof(market), market.Type, null),
        };
    }

    /// <summary>
    /// The strike <paramref name="stepsFromIndex"/> steps from the index, on round numbers. Of
    /// <paramref name="strikes"/> strikes centred on the index, none is below about half of it.
    /// </summary>
    public static decimal Strike(string baseCurrency, int stepsFromIndex, int strikes)
    {
        var index = Index(baseCurrency);
        var spacing = index * Math.Min(0.05, 0.9 / strikes);
        var unit = Math.Pow(10, Math.Floor(Math.Log10(spacing)));
        var step = Math.Floor(spacing / unit) * unit;
        return (decimal)(Math.Round(index / unit) * unit + stepsFromIndex * step);
    }

    private static double OptionPremium(SimulatedMarket market, double index, DateTimeOffset now)
    {
        var strike = (double)market.Strike!.Value;
        var years = Math.Max(Years(market.Expiry!.Value, now), 1.0 / 365);
        var spread = Volatility * Math.Sqrt(years);
        var d1 = (Math.Log(index / strike) + spread * spread / 2) / spread;
        var d2 = d1 - spread;
        var premium = market.OptionType == OptionType.Call
            ? index * Normal(d1) - strike * Normal(d2)
            : strike * Normal(-d2) - index * Normal(-d1);
        // Far out of the money an option still costs a little.
        premium = Math.Max(premium, index * 0.0005);
        return market.Margin == Margin.Inverse ? premium / index : premium;
    }

    private static double Years(DateTimeOffset expiry, DateTimeOffset now) => Math.Max(0, (expiry - now).TotalDays / 365);

    // Abramowitz and Stegun 7.1.26: the cumulative normal to about 1e-7, plenty for a plausible premium.
    private static double Normal(double x)
    {
        var t = 1 / (1 + 0.3275911 * Math.Abs(x) / Math.Sqrt(2));
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
            * Math.Exp(-x * x / 2);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
