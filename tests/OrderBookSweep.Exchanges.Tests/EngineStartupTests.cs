using Microsoft.Extensions.Options;

namespace OrderBookSweep.Exchanges.Tests;

/// <summary>A missing or old Node, or bad options, stop the host at start with one clear error.</summary>
public sealed class EngineStartupTests
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:9");

    [Fact]
    public async Task Missing_node_fails_the_start_clearly()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EngineHost.StartAsync(Nowhere,
            new Dictionary<string, string?> { ["Exchanges:NodeExecutable"] = "/nonexistent/node" }));

        Assert.Contains("Node.js was not found", error.Message);
        Assert.Contains("20.19", error.Message);
    }

    [Fact]
    public async Task Too_old_node_fails_the_start_clearly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the fake node below is a shell script
        }
        var fakeNode = Path.Combine(Path.GetTempPath(), $"old-node-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(fakeNode, "#!/bin/sh\necho v18.20.0\n");
        File.SetUnixFileMode(fakeNode, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EngineHost.StartAsync(Nowhere,
                new Dictionary<string, string?> { ["Exchanges:NodeExecutable"] = fakeNode }));

            Assert.Contains("v18.20.0", error.Message);
            Assert.Contains("needs Node >= 20.19", error.Message);
        }
        finally
        {
            File.Delete(fakeNode);
        }
    }

    [Theory]
    [InlineData("Exchanges:RedirectBaseUrl", "not a url")]
    [InlineData("Exchanges:MaxSymbolsPerExchange", "0")]
    [InlineData("Exchanges:CallTimeout", "00:00:00.5")]
    [InlineData("Exchanges:RateLimitScale", "0")]
    [InlineData("Exchanges:RateLimitScale", "-1")]
    [InlineData("Exchanges:RateLimitScale", "1000")]
    [InlineData("Exchanges:RateLimitScale", "NaN")]
    [InlineData("Exchanges:NodeOptions", "--max-old-space-size=512 script.js")]
    [InlineData("Exchanges:RecycleAfterExchanges", "0")]
    public async Task Invalid_options_fail_the_start(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(Nowhere,
            new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message);
    }
}
