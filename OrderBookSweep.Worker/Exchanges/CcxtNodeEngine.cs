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
    private readonly ExchangeOptions _options = options.Value;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private EngineProcess? _current;
    private bool _nodeChecked;
    private bool _disposed;

    // Open sessions plus engine-level calls in flight. Raised before the process is taken (under
    // _startLock) and checked under _startLock, so a recycle never pulls a process from under a user.
    private int _users;

    /// <summary>How many times the engine was started after a crash.</summary>
    public int Restarts { get; private set; }

    /// <summary>How many times an idle engine was replaced, having met RecycleAfterExchanges exchanges.</summary>
    public int Recycles { get; private set; }

    internal ExchangeOptions Options => _options;

    /// <summary>The live engine process, if any (tests kill it).</summary>
    internal EngineProcess? CurrentProcess => _current;

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
        Interlocked.Increment(ref _users);
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
        if (Interlocked.Decrement(ref _users) == 0 && _options.RecycleAfterExchanges is not null)
        {
            _ = RecycleIfIdleAsync();
        }
    }

    private async Task RecycleIfIdleAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            if (_disposed || Volatile.Read(ref _users) != 0 || _current is not { HasExited: false } idle
                || idle.ExchangesCreated < _options.RecycleAfterExchanges)
            {
                return;
            }
            var residentMiB = idle.ResidentBytes / (1024 * 1024);
            Recycles++;
            _current = null;
            await idle.DisposeAsync();
            logger.LogInformation("Recycled the idle ccxt engine after {Exchanges} exchanges, at {ResidentMiB} MiB (recycle {Recycles})",
                idle.ExchangesCreated, residentMiB, Recycles);
            // The next exchange should not wait for Node to start.
            _current = await StartProcessAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next call starts an engine anyway.
            logger.LogWarning(e, "Could not recycle the ccxt engine");
        }
        finally
        {
            _startLock.Release();
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
        Interlocked.Increment(ref _users);
        try
        {
            var process = await GetProcessAsync(cancellationToken);
            return await process.CallAsync(operation, writeArguments, parseResult, timeout ?? _options.CallTimeout, exchangeId, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _users);
        }
    }

    /// <summary>The running engine, started if there is none. Callers count themselves in <see cref="_users"/> first.</summary>
    internal async Task<EngineProcess> GetProcessAsync(CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { HasExited: false } running)
            {
                return running;
            }
            if (!_nodeChecked)
            {
                var version = await NodeRuntime.EnsureSupportedAsync(_options.NodeExecutable, cancellationToken);
                logger.LogInformation("Node.js {NodeVersion} found for the ccxt engine", version);
                _nodeChecked = true;
            }
            if (_current is not null)
            {
                Restarts++;
                await _current.DisposeAsync();
                logger.LogWarning("Restarting the ccxt engine (restart {Restarts})", Restarts);
            }
            _current = await StartProcessAsync(cancellationToken);
            return _current;
        }
        finally
        {
            _startLock.Release();
        }
    }

    private async Task<EngineProcess> StartProcessAsync(CancellationToken cancellationToken)
    {
        var started = EngineProcess.Start(_options, logger);
        try
        {
            // The first ping proves Node started and ccxt's base modules loaded.
            await started.CallAsync("ping", null, result => result.GetRawText(), _options.StartTimeout, null, cancellationToken);
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
        await _startLock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_current is not null)
            {
                await _current.DisposeAsync();
            }
        }
        finally
        {
            _startLock.Release();
        }
    }
}
