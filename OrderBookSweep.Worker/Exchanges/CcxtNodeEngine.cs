using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// <see cref="IExchangeEngine"/> over the real ccxt (npm, pinned to 4.5.84) in one Node child process.
/// Started with the host so a missing Node fails the start; restarted on the next call after it dies.
/// </summary>
internal sealed class CcxtNodeEngine(IOptions<ExchangeOptions> options, ILogger<CcxtNodeEngine> logger)
    : IExchangeEngine, IHostedService, IAsyncDisposable
{
    private readonly ExchangeOptions options = options.Value;
    private readonly SemaphoreSlim startLock = new(1, 1);
    private EngineProcess? current;
    private bool nodeChecked;
    private bool disposed;

    /// <summary>How many times the engine was started after a crash.</summary>
    public int Restarts { get; private set; }

    internal ExchangeOptions Options => options;

    /// <summary>The live engine process, if any (tests kill it).</summary>
    internal EngineProcess? CurrentProcess => current;

    public Task<IReadOnlyList<string>> GetExchangeIdsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<string>>("exchanges", null,
            result => result.EnumerateArray().Select(id => id.GetString()!).ToArray(), null, cancellationToken);

    public async Task<IExchangeSession> CreateExchangeAsync(string exchangeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchangeId);
        var session = new CcxtExchangeSession(this, exchangeId);
        // Create now so an unknown id fails here, not at the first loadMarkets.
        await session.OpenAsync(cancellationToken);
        return session;
    }

    /// <summary>Answers from the engine itself: ccxt version and open exchanges (the health check).</summary>
    internal Task<string> PingAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync("ping", null, result => result.GetRawText(), null, cancellationToken, timeout);

    internal async Task<T> CallAsync<T>(
        string operation,
        Action<Utf8JsonWriter>? writeArguments,
        Func<JsonElement, T> parseResult,
        string? exchangeId,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var process = await GetProcessAsync(cancellationToken);
        return await process.CallAsync(operation, writeArguments, parseResult, timeout ?? options.CallTimeout, exchangeId, cancellationToken);
    }

    internal async Task<EngineProcess> GetProcessAsync(CancellationToken cancellationToken)
    {
        if (current is { HasExited: false } running)
        {
            return running;
        }
        await startLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (current is { HasExited: false } startedMeanwhile)
            {
                return startedMeanwhile;
            }
            if (!nodeChecked)
            {
                var version = await NodeRuntime.EnsureSupportedAsync(options.NodeExecutable, cancellationToken);
                logger.LogInformation("Node.js {NodeVersion} found for the ccxt engine", version);
                nodeChecked = true;
            }
            if (current is not null)
            {
                Restarts++;
                await current.DisposeAsync();
                logger.LogWarning("Restarting the ccxt engine (restart {Restarts})", Restarts);
            }
            var started = EngineProcess.Start(options, logger);
            try
            {
                // ccxt loads in about half a second; the first ping proves require('ccxt') worked.
                await started.CallAsync("ping", null, result => result.GetRawText(), options.StartTimeout, null, cancellationToken);
            }
            catch
            {
                await started.DisposeAsync();
                throw;
            }
            current = started;
            return started;
        }
        finally
        {
            startLock.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken) => await GetProcessAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await startLock.WaitAsync();
        try
        {
            if (disposed)
            {
                return;
            }
            disposed = true;
            if (current is not null)
            {
                await current.DisposeAsync();
            }
        }
        finally
        {
            startLock.Release();
        }
    }
}
