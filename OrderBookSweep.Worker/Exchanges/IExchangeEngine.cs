namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// ccxt as a service: one per worker process (singleton). Shaped after ccxt's unified API so an
/// in-process C# ccxt could implement it too; nothing outside this folder knows about Node.
/// </summary>
public interface IExchangeEngine
{
    /// <summary>ccxt's <c>ccxt.exchanges</c>, each as ccxt describes it: every exchange the engine can create, by id.</summary>
    Task<IReadOnlyList<ExchangeDescription>> GetExchangesAsync(CancellationToken cancellationToken);

    /// <summary>Creates one ccxt exchange instance configured from <see cref="ExchangeOptions"/>.</summary>
    /// <exception cref="ArgumentException">The id is null or blank.</exception>
    /// <exception cref="ExchangeException">The id is not a ccxt exchange ("UnknownExchange") or the engine failed.</exception>
    Task<IExchangeSession> CreateExchangeAsync(string exchangeId, CancellationToken cancellationToken);
}
