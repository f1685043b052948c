using System.Diagnostics.CodeAnalysis;

namespace OrderBookSweep.ExchangeSimulator;

public enum FaultKind
{
    Latency,
    Status,
    RateLimit,
    Hang,
    Reset,
    Malformed,
    Html,
    Empty,
}

/// <summary>
/// One injected fault. Text form (configuration and the admin API):
/// "latency:00:00:00.250" (then the normal answer), "429" / "418" / "500" / "503" (any 4xx/5xx status,
/// a plain-text body), "ratelimit" (the exchange's own rate-limit answer, as ccxt classifies it live),
/// "hang" (hold the request for Simulator:HangDuration), "reset" (abort the connection),
/// "malformed" (200 with broken JSON), "html" (200 with an HTML page), "empty" (200, no markets / an empty book).
/// </summary>
public sealed record Fault(FaultKind Kind, int StatusCode = 0, TimeSpan Latency = default)
{
    public const string Syntax = "latency:<TimeSpan>, a 4xx/5xx status code, ratelimit, hang, reset, malformed, html, empty";

    public string Text => Kind switch
    {
        FaultKind.Latency => $"latency:{Latency}",
        FaultKind.Status => StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out Fault? fault)
    {
        fault = null;
        text = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        if (text.StartsWith("latency:", StringComparison.Ordinal))
        {
            if (TimeSpan.TryParse(text["latency:".Length..], System.Globalization.CultureInfo.InvariantCulture, out var latency) && latency > TimeSpan.Zero)
            {
                fault = new Fault(FaultKind.Latency, Latency: latency);
            }
            return fault is not null;
        }
        if (int.TryParse(text, out var status))
        {
            fault = status is >= 400 and <= 599 ? new Fault(FaultKind.Status, status) : null;
            return fault is not null;
        }
        fault = text switch
        {
            "ratelimit" => new Fault(FaultKind.RateLimit),
            "hang" => new Fault(FaultKind.Hang),
            "reset" => new Fault(FaultKind.Reset),
            "malformed" => new Fault(FaultKind.Malformed),
            "html" => new Fault(FaultKind.Html),
            "empty" => new Fault(FaultKind.Empty),
            _ => null,
        };
        return fault is not null;
    }
}
