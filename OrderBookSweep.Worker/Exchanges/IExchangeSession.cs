namespace OrderBookSweep.Worker.Exchanges;

/// <summary>One ccxt exchange instance. <see cref="IAsyncDisposable.DisposeAsync"/> closes it (ccxt's close()) and never throws.</summary>
public interface IExchangeSession : IAsyncDisposable
{
    string ExchangeId { get; }

    /// <summary>
    /// ccxt's loadMarkets: the unified symbols, sorted, after the <see cref="ExchangeOptions.MarketTypes"/>
    /// filter and cut to <see cref="ExchangeOptions.MaxSymbolsPerExchange"/>. No markets is an
    /// <see cref="ExchangeException"/> with class "NoMarkets".
    /// </summary>
    Task<IReadOnlyList<string>> LoadMarketsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// ccxt's fetchOrderBook. <paramref name="limit"/> null means <see cref="ExchangeOptions.BookDepth"/>
    /// (null there: the exchange's default). A book with no bids and no asks is an
    /// <see cref="ExchangeException"/> with class "EmptyOrderBook".
    /// </summary>
    Task<OrderBook> FetchOrderBookAsync(string symbol, int? limit, CancellationToken cancellationToken);
}
