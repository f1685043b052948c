using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// One running engine.js: JSON lines over stdio, many calls in flight, matched by request id.
/// When the process dies every pending call fails with "EngineExited"; <see cref="CcxtNodeEngine"/>
/// then starts a new one.
/// </summary>
internal sealed class EngineProcess : IAsyncDisposable
{
    private const int StderrLinesKept = 8;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly int _maxMessageBytes;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _requests = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentQueue<string> _lastStderrLines = new();
    private readonly ConcurrentDictionary<string, byte> _exchangesCreated = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextRequestId;
    private string _exitReason = "the process is gone";

    private EngineProcess(Process process, int maxMessageBytes, ILogger logger)
    {
        _process = process;
        _maxMessageBytes = maxMessageBytes;
        _logger = logger;
        _input = process.StandardInput.BaseStream;
        Id = process.Id;
        _ = Task.Run(ReadStderrAsync);
        _ = Task.Run(ReadResponsesAsync);
        _ = Task.Run(WriteRequestsAsync);
    }

    private sealed record PendingCall(TaskCompletionSource<JsonDocument> Completion, string Operation, string? ExchangeId);

    /// <summary>The OS process id, kept after the process is gone (logs, tests).</summary>
    public int Id { get; }

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>How many different exchanges were created in this process.</summary>
    public int ExchangesCreated => _exchangesCreated.Count;

    /// <summary>Notes that <paramref name="exchangeId"/> was created here (its ccxt code is now loaded).</summary>
    public void Created(string exchangeId) => _exchangesCreated.TryAdd(exchangeId, 0);

    /// <summary>The process's resident memory now, in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public static EngineProcess Start(ExchangeOptions options, ILogger logger)
    {
        var directory = options.ResolveEngineDirectory();
        var script = Path.Combine(directory, "engine.js");
        if (!File.Exists(script) || !Directory.Exists(Path.Combine(directory, "node_modules", "ccxt")))
        {
            throw new InvalidOperationException(
                $"The ccxt engine is not installed in '{directory}' (engine.js and node_modules/ccxt). " +
                "Building OrderBookSweep.Worker runs `npm ci` and copies it there; set Exchanges:EngineDirectory to use another copy.");
        }
        var startInfo = new ProcessStartInfo(options.NodeExecutable)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in options.NodeArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.ArgumentList.Add(script);
        startInfo.Environment["CCXT_ENGINE_MAX_MESSAGE_BYTES"] = options.MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{options.NodeExecutable}'.");
        return new EngineProcess(process, options.MaxMessageBytes, logger);
    }

    /// <summary>Sends one request and parses its result; an engine error becomes an <see cref="ExchangeException"/>.</summary>
    public async Task<T> CallAsync<T>(
        string operation,
        Action<Utf8JsonWriter>? writeArguments,
        Func<JsonElement, T> parseResult,
        TimeSpan timeout,
        string? exchangeId,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(operation, writeArguments, timeout, exchangeId, cancellationToken);
        var root = response.RootElement;
        if (root.GetProperty("ok").GetBoolean())
        {
            return parseResult(root.GetProperty("result"));
        }
        var error = root.GetProperty("error");
        throw new ExchangeException(
            error.GetProperty("errorClass").GetString() ?? "Error",
            error.GetProperty("retryable").GetBoolean(),
            exchangeId,
            error.GetProperty("message").GetString() ?? "");
    }

    /// <summary>Kills the process (tests use it to crash the engine mid-call).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            // engine.js exits when its stdin closes; kill only if it does not.
            _requests.Writer.TryComplete();
            try
            {
                _input.Close();
            }
            catch (IOException)
            {
            }
            if (await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(2))) != _exited.Task)
            {
                Kill();
                await _exited.Task;
            }
        }
        _process.Dispose();
    }

    private async Task<JsonDocument> SendAsync(
        string operation, Action<Utf8JsonWriter>? writeArguments, TimeSpan timeout, string? exchangeId, CancellationToken cancellationToken)
    {
        if (HasExited)
        {
            throw ExitedException(operation, exchangeId);
        }
        var id = Interlocked.Increment(ref _nextRequestId);
        var line = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(line))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("op", operation);
            writeArguments?.Invoke(writer);
            writer.WriteEndObject();
        }
        line.Write("\n"u8);

        var call = new PendingCall(new TaskCompletionSource<JsonDocument>(TaskCreationOptions.RunContinuationsAsynchronously), operation, exchangeId);
        _pending[id] = call;
        // If it died between the check above and the registration, the exit sweep may have missed us.
        if (HasExited || !_requests.Writer.TryWrite(line.WrittenSpan.ToArray()))
        {
            _pending.TryRemove(id, out _);
            throw ExitedException(operation, exchangeId);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await call.Completion.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ExchangeException("EngineCallTimeout", isRetryable: true, exchangeId,
                $"The ccxt engine did not answer {operation} within {timeout}.");
        }
        finally
        {
            // A late answer to an abandoned call finds no entry and is dropped.
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// The one writer of the engine's stdin. Requests queued while a write is under way leave
    /// together in the next one: one pipe write, and one wake-up of the engine, for many calls.
    /// </summary>
    private async Task WriteRequestsAsync()
    {
        var batch = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (await _requests.Reader.WaitToReadAsync())
            {
                while (_requests.Reader.TryRead(out var line))
                {
                    batch.Write(line);
                }
                await _input.WriteAsync(batch.WrittenMemory);
                await _input.FlushAsync();
                batch.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The engine is gone: ReadResponsesAsync sees its output end and fails the calls in flight.
        }
    }

    private async Task ReadResponsesAsync()
    {
        var reader = PipeReader.Create(_process.StandardOutput.BaseStream);
        var reason = "its output ended";
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    Dispatch(buffer.Slice(0, end));
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }
                if (buffer.Length > _maxMessageBytes)
                {
                    // engine.js bounds its own messages; a longer line means it is broken.
                    reason = $"it sent a message over {_maxMessageBytes} bytes";
                    Kill();
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            reason = $"reading its output failed: {e.Message}";
        }
        await reader.CompleteAsync();
        await _process.WaitForExitAsync();
        var stderr = string.Join(" | ", _lastStderrLines);
        _exitReason = $"{reason}; exit code {_process.ExitCode}" + (stderr.Length > 0 ? $"; last stderr: {stderr}" : "");
        _exited.TrySetResult();
        _logger.LogWarning("The ccxt engine (pid {ProcessId}) exited: {Reason}", Id, _exitReason);
        foreach (var (id, call) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                call.Completion.TrySetException(ExitedException(call.Operation, call.ExchangeId));
            }
        }
    }

    private void Dispatch(ReadOnlySequence<byte> line)
    {
        JsonDocument document;
        try
        {
            // A JsonDocument keeps reading the memory it was parsed from, and the pipe reuses its buffers.
            document = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "The ccxt engine wrote a line that is not JSON; dropped");
            return;
        }
        if (document.RootElement.TryGetProperty("id", out var id)
            && _pending.TryRemove(id.GetInt64(), out var call)
            && call.Completion.TrySetResult(document))
        {
            return;
        }
        document.Dispose();
    }

    private async Task ReadStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            _lastStderrLines.Enqueue(line);
            while (_lastStderrLines.Count > StderrLinesKept && _lastStderrLines.TryDequeue(out _))
            {
            }
            _logger.LogInformation("ccxt engine: {Line}", line);
        }
    }

    private ExchangeException ExitedException(string operation, string? exchangeId) =>
        new("EngineExited", isRetryable: true, exchangeId,
            $"The ccxt engine exited during {operation} ({_exitReason}); it restarts on the next call.");
}
