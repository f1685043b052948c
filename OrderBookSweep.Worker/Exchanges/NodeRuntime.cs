using System.ComponentModel;
using System.Diagnostics;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>Checks once, before the engine starts, that Node.js exists and is new enough for ccxt 4.5.84.</summary>
internal static class NodeRuntime
{
    public static readonly Version MinimumVersion = new(20, 19);

    public static async Task<Version> EnsureSupportedAsync(string nodeExecutable, CancellationToken cancellationToken)
    {
        string output;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(nodeExecutable, "--version")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException($"Could not start '{nodeExecutable}'.");
            output = (await process.StandardOutput.ReadToEndAsync(cancellationToken)).Trim();
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Node.js was not found ('{nodeExecutable}'): the exchange engine runs ccxt 4.5.84 on Node >= {MinimumVersion}. " +
                "Install Node or set Exchanges:NodeExecutable.", e);
        }
        if (!Version.TryParse(output.TrimStart('v'), out var version) || version < MinimumVersion)
        {
            throw new InvalidOperationException(
                $"'{nodeExecutable} --version' reports '{output}': ccxt 4.5.84 needs Node >= {MinimumVersion}. " +
                "Install a newer Node or set Exchanges:NodeExecutable.");
        }
        return version;
    }
}
