namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// A ccxt error, or one of the seam's own failures classified the same way.
/// </summary>
/// <remarks>
/// <see cref="ErrorClass"/> is ccxt's class name (RequestTimeout, DDoSProtection, BadSymbol, ...) or one of ours:
/// <list type="bullet">
/// <item>NoMarkets, EmptyOrderBook: ccxt returned nothing without throwing (a 200 with HTML or broken JSON). Not retryable:
/// the body is garbage, not a transient network state; the next sweep tries again.</item>
/// <item>MalformedOrderBook: a level that is not a pair of finite numbers within decimal's range. Not retryable.</item>
/// <item>UnknownExchange: the id is not in ccxt.exchanges. Not retryable.</item>
/// <item>EngineExited: the Node engine died during the call; it restarts on the next call. Retryable.</item>
/// <item>EngineCallTimeout: no answer within <see cref="ExchangeOptions.CallTimeout"/>. Retryable.</item>
/// <item>ResponseTooLarge: the answer exceeded <see cref="ExchangeOptions.MaxMessageBytes"/>. Not retryable.</item>
/// </list>
/// </remarks>
public sealed class ExchangeException : Exception
{
    public ExchangeException(string errorClass, bool isRetryable, string? exchangeId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorClass = errorClass;
        IsRetryable = isRetryable;
        ExchangeId = exchangeId;
    }

    /// <summary>ccxt's class name, or one of the seam's own names listed on the type.</summary>
    public string ErrorClass { get; }

    /// <summary>True for ccxt's NetworkError family and for engine restarts/timeouts.</summary>
    public bool IsRetryable { get; }

    public string? ExchangeId { get; }
}
