using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// <see cref="IExchangeEngine"/> over the real ccxt (npm, pinned to 4.5.84) in one Node child process.
/// Started with the host so a missing Node fails the start; restarted on the next call after it dies;
/// replaced by a fresh one when idle after <see cref="ExchangeOptions.RecycleAfterExchanges"/>.
/// </summary>
internal sealed class CcxtNodeEngine(IOptions<ExchangeOptions> options, ILogger<CcxtNodeEngine> logger)
    : IExchangeEngine, IHostedService, IAsyncDisposable
{
    private readonly ExchangeOptions options = options.Value;
    private readonly SemaphoreSlim startLock = new(1, 1);
    private EngineProcess? current;
    private bool nodeChecked;
    private bool disposed;

    // Open sessions plus engine-level calls in flight. Raised before the process is taken (under
    // startLock) and checked under startLock, so a recycle never pulls a process from under a user.
    private int users;

    /// <summary>How many times the engine was started after a crash.</summary>
    public int Restarts { get; private set; }

    /// <summary>How many times an idle engine was replaced, having met RecycleAfterExchanges exchanges.</summary>
    public int Recycles { get; private set; }

    internal ExchangeOptions Options => options;

    /// <summary>The live engine process, if any (tests kill it).</summary>
    internal EngineProcess? CurrentProcess => current;

    public Task<IReadOnlyList<ExchangeDescription>> GetExchangesAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ExchangeDescription>>("exchanges", null,
            result => [.. result.EnumerateArray().Select(e => new ExchangeDescription(
                e.GetProperty("id").GetString()!,
                e.GetProperty("rateLimitMs").GetDouble(),
                [.. e.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()!)]))],
            null, cancellationToken);

    public async Task<IExchangeSession> CreateExchangeAsync(string exchangeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exchangeId);
        Interlocked.Increment(ref users);
        var session = new CcxtExchangeSession(this, exchangeId);
        try
        {
            // Create now so an unknown id fails here, not at the first loadMarkets.
            await session.OpenAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>A session is done with the engine (its DisposeAsync, once).</summary>
    internal void SessionClosed()
    {
        if (Interlocked.Decrement(ref users) == 0 && options.RecycleAfterExchanges is not null)
        {
            _ = RecycleIfIdleAsync();
        }
    }

    private async Task RecycleIfIdleAsync()
    {
        await startLock.WaitAsync();
        try
        {
            if (disposed || Volatile.Read(ref users) != 0 || current is not { HasExited: false } idle
                || idle.ExchangesCreated < options.RecycleAfterExchanges)
            {
                return;
            }
            var residentMiB = idle.ResidentBytes / (1024 * 1024);
            Recycles++;
            current = null;
            await idle.DisposeAsync();
            logger.LogInformation("Recycled the idle ccxt engine after {Exchanges} exchanges, at {ResidentMiB} MiB (recycle {Recycles})",
                idle.ExchangesCreated, residentMiB, Recycles);
            // The next exchange should not wait for Node to start.
            current = await StartProcessAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next call starts an engine anyway.
            logger.LogWarning(e, "Could not recycle the ccxt engine");
        }
        finally
        {
            startLock.Release();
        }
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
        Interlocked.Increment(ref users);
        try
        {
            var process = await GetProcessAsync(cancellationToken);
            return await process.CallAsync(operation, writeArguments, parseResult, timeout ?? options.CallTimeout, exchangeId, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref users);
        }
    }

    /// <summary>The running engine, started if there is none. Callers count themselves in <see cref="users"/> first.</summary>
    internal async Task<EngineProcess> GetProcessAsync(CancellationToken cancellationToken)
    {
        await startLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (current is { HasExited: false } running)
            {
                return running;
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
            current = await StartProcessAsync(cancellationToken);
            return current;
        }
        finally
        {
            startLock.Release();
        }
    }

    private async Task<EngineProcess> StartProcessAsync(CancellationToken cancellationToken)
    {
        var started = EngineProcess.Start(options, logger);
        try
        {
            // The first ping proves Node started and ccxt's base modules loaded.
            await started.CallAsync("ping", null, result => result.GetRawText(), options.StartTimeout, null, cancellationToken);
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
        return started;
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
