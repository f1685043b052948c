using System.Diagnostics;
using System.Text.Json;

namespace OrderBookSweep.Harness;

/// <summary>
/// Runs a Node script copied next to the running binary (a benchmark's or a test suite's) and
/// parses the one JSON line it prints.
/// </summary>
public static class NodeScript
{
    public static async Task<JsonDocument> RunAsync(string script, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, script) },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            // The script's own last words name what failed (an exchange, an error class).
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {(await error).Trim()}");
        }

        return JsonDocument.Parse(output);
    }
}
