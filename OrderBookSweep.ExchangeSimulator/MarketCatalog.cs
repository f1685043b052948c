using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>
/// The markets each simulated exchange lists, built once from its <see cref="ExchangeFormat.Listings"/>
/// and the profile, and the last book served for each of them. Expiries follow the start-up date:
/// futures the next quarterly Fridays, options the next weekly ones, at 08:00 UTC.
/// </summary>
public sealed class MarketCatalog
{
    /// <summary>Past this, strikes 0.9/n of the index apart would no longer be whole numbers for the cheapest coins.</summary>
    public const int MaxStrikesPerExpiry = 100;

    private readonly FrozenDictionary<string, IReadOnlyList<SimulatedMarket>> _byExchange;
    private readonly FrozenDictionary<(string Exchange, string Category), IReadOnlyList<SimulatedMarket>> _byCategory;
    private readonly FrozenDictionary<(string Exchange, string Category, string Id), SimulatedMarket> _byId;
    private readonly ConcurrentDictionary<(string Exchange, string Symbol), SimulatedBook> _lastServed = new();

    public MarketCatalog(IOptions<SimulatorOptions> options, TimeProvider timeProvider)
    {
        // Prices count time to expiry from the start of the day, so that simulators started the same
        // day list the same markets at the same prices and serve the same books.
        var today = new DateTimeOffset(timeProvider.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        _byExchange = ExchangeFormats.All.ToFrozenDictionary(
            f => f.Id,
            f => (IReadOnlyList<SimulatedMarket>)f.Listings.SelectMany(l => List(f, l, options.Value.CountFor(f.Id, l), today))
                .Concat(Extra(f, options.Value.ExtraBaseFor(f.Id), today)).ToArray());
        _byCategory = _byExchange.Values.SelectMany(m => m).GroupBy(m => (m.Exchange, m.Category))
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<SimulatedMarket>)g.ToArray());
        _byId = _byExchange.Values.SelectMany(m => m).ToFrozenDictionary(m => (m.Exchange, m.Category, m.Id));
    }

    public IReadOnlyList<SimulatedMarket> Markets(string exchange) => _byExchange[exchange];

    public IReadOnlyList<SimulatedMarket> Markets(string exchange, string category) =>
        _byCategory.GetValueOrDefault((exchange, category), []);

    /// <summary>Every currency the exchange's markets name, sorted.</summary>
    public IReadOnlyList<string> Currencies(string exchange) =>
        _byExchange[exchange].SelectMany(m => new[] { m.Base, m.Quote, m.Settle }).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();

    public SimulatedMarket? Find(string exchange, string category, string id) => _byId.GetValueOrDefault((exchange, category, id));

    public void RecordServed(SimulatedBook book) => _lastServed[(book.Exchange, book.Symbol)] = book;

    public SimulatedBook? LastServed(string exchange, string symbol) => _lastServed.GetValueOrDefault((exchange, symbol));

    /// <summary>Base currencies: real coins first (readable demos), then synthetic S0001... codes that no exchange renames.</summary>
    public static IEnumerable<string> BaseCurrencies()
    {
        string[] real = ["BTC", "ETH", "SOL", "ADA", "DOT", "LTC", "LINK", "AVAX", "ATOM", "UNI", "AAVE", "NEAR",
            "FIL", "ALGO", "ETC", "TRX", "XLM", "EOS", "SAND", "MANA"];
        return real.Concat(Enumerable.Range(1, int.MaxValue - 1).Select(i => $"S{i:D4}"));
    }

    private static IEnumerable<SimulatedMarket> List(ExchangeFormat format, Listing listing, int count, DateTimeOffset today)
    {
        var drafts = listing.Type switch
        {
            MarketType.Spot or MarketType.Swap => BaseCurrencies().Select(b => Draft(format, listing, b, today)),
            MarketType.Future => BaseCurrencies().SelectMany(b => Expiries(today, listing.Expiries, quarterly: true)
                .Select(e => Draft(format, listing, b, today, e))),
            MarketType.Option => BaseCurrencies().Take(listing.Underlyings).SelectMany(b => Expiries(today, listing.Expiries, quarterly: false)
                .SelectMany(e => Strikes(b, StrikesPerExpiry(listing, count)).SelectMany(s => new[] { OptionType.Call, OptionType.Put }
                    .Select(t => Draft(format, listing, b, today, e, s, t))))),
            _ => throw new ArgumentOutOfRangeException(nameof(listing), listing.Type, null),
        };
        return drafts.Take(count);
    }

    /// <summary>A configured extra base currency, listed as one more spot market under its own name.</summary>
    private static IEnumerable<SimulatedMarket> Extra(ExchangeFormat format, string? baseCurrency, DateTimeOffset today) =>
        baseCurrency is null ? [] : format.Listings.Where(l => l.Type == MarketType.Spot).Take(1).Select(l => Draft(format, l, baseCurrency, today));

    // Enough strikes that every underlying and expiry has its share of the count.
    private static int StrikesPerExpiry(Listing listing, int count) =>
        Math.Clamp((int)Math.Ceiling(count / (2.0 * listing.Underlyings * listing.Expiries)), 1, MaxStrikesPerExpiry);

    // 0, +1, -1, +2, -2, ...: centred on the index, then sorted as exchanges list them.
    private static IEnumerable<decimal> Strikes(string baseCurrency, int count) =>
        Enumerable.Range(0, count).Select(i => FairPrices.Strike(baseCurrency, i % 2 == 1 ? (i + 1) / 2 : -i / 2, count)).Order();

    private static IEnumerable<DateTimeOffset> Expiries(DateTimeOffset today, int count, bool quarterly)
    {
        var day = today.AddDays(2).AddHours(8);
        for (var found = 0; found < count; day = day.AddDays(1))
        {
            var lastFridayOfQuarter = day.Month % 3 == 0 && day.AddDays(7).Month != day.Month;
            if (day.DayOfWeek == DayOfWeek.Friday && (!quarterly || lastFridayOfQuarter))
            {
                found++;
                yield return day;
            }
        }
    }

    private static SimulatedMarket Draft(ExchangeFormat format, Listing listing, string baseCurrency, DateTimeOffset today,
        DateTimeOffset? expiry = null, decimal? strike = null, OptionType? optionType = null)
    {
        var contract = listing.Type != MarketType.Spot;
        var settle = contract ? listing.Settle ?? (listing.Margin == Margin.Inverse ? baseCurrency : listing.Quote) : null;
        var symbol = $"{baseCurrency}/{listing.Quote}";
        if (contract)
        {
            symbol += $":{settle}";
        }
        if (expiry is { } date)
        {
            symbol += "-" + date.ToString("yyMMdd", CultureInfo.InvariantCulture);
        }
        if (strike is { } k)
        {
            symbol += $"-{k.ToString(CultureInfo.InvariantCulture)}-{(optionType == OptionType.Call ? "C" : "P")}";
        }
        var market = new SimulatedMarket
        {
            Exchange = format.Id,
            Category = listing.Category,
            Id = "",
            Symbol = symbol,
            Base = baseCurrency,
            Quote = listing.Quote,
            Settle = settle,
            Type = listing.Type,
            Margin = contract ? listing.Margin ?? Margin.Linear : null,
            ContractSize = contract ? listing.ContractSize : null,
            Expiry = expiry,
            Strike = strike,
            OptionType = optionType,
            PriceDecimals = listing.PriceDecimals,
            AmountDecimals = listing.AmountDecimals,
            FairPrice = 0,
        };
        return market with { Id = format.MarketId(market), FairPrice = FairPrices.Of(market, today) };
    }
}
