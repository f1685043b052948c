using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace OrderBookSweep.Board.Tests;

/// <summary>
/// One system and one browser shared by the board's tests: the whole AppHost on the simulator
/// with the scheduler's API key set, a hostile symbol on binance, a hostile fault body, two
/// exchanges whose markets answer 500 (dead-lettered), one serving stale books and one crossed
/// books, and two finished sweeps of the same
/// exchanges, so the second one has repeat failures to highlight.
/// </summary>
public sealed class BoardSystem : IAsyncLifetime
{
    /// <summary>A base currency binance lists; ccxt makes a symbol of it (it upper-cases it).</summary>
    public const string HostileBase = "<script>alert('symbol')</script>";

    /// <summary>The body of every 500 the simulator answers; ccxt puts it into the error message.</summary>
    public const string HostileFaultBody = "<script>alert('fault')</script> upstream maintenance";

    /// <summary>Always answers 500 on its markets: ends failed every sweep.</summary>
    public const string Failing = "kraken";

    /// <summary>Answers 500 until a test clears the fault, then requeues its dead letter.</summary>
    public const string Requeued = "bybit";

    /// <summary>Serves its books stamped five minutes early (its format carries a time): stale.</summary>
    public const string Stale = "okx";

    /// <summary>Serves its books with the best bid above the best ask.</summary>
    public const string Crossed = "kucoin";

    public static readonly string[] Exchanges = ["binance", Stale, "bitstamp", Crossed, Failing, Requeued, "gemini", "bitfinex"];

    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(2);

    public SweepSystem System { get; private set; } = null!;

    public string ApiKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public long FirstSweep { get; private set; }

    public long SecondSweep { get; private set; }

    public ChromeDriver Browser { get; private set; } = null!;

    public Uri Board => new(System.Scheduler.BaseAddress!, "/board/");

    /// <summary>Screenshots land in the test output's TestResults/board folder.</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "board");

    public async Task InitializeAsync()
    {
        System = await SweepSystem.StartAsync(
            "embedded",
            workerReplicas: 2,
            simulator: new Dictionary<string, string>
            {
                ["Exchanges:binance:ExtraBase"] = HostileBase,
                [$"Exchanges:{Stale}:BookLag"] = "00:05:00",
                [$"Exchanges:{Crossed}:Crossed"] = "true",
                ["StatusFaultBody"] = HostileFaultBody,
                [$"Faults:{Failing}:markets"] = "500",
                [$"Faults:{Requeued}:markets"] = "500",
            },
            apiKey: ApiKey);
        FirstSweep = (await System.WaitForSweepAsync(await System.StartSweepAsync(Exchanges), SweepTimeout)).SweepId;
        SecondSweep = (await System.WaitForSweepAsync(await System.StartSweepAsync(Exchanges), SweepTimeout)).SweepId;

        Directory.CreateDirectory(Screenshots);
        Browser = StartBrowser();
    }

    /// <summary>
    /// Debian's chromium through Debian's chromedriver, both from /usr/bin: Selenium Manager
    /// (which would download a driver) never runs.
    /// </summary>
    private static ChromeDriver StartBrowser()
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,1000", "--lang=en-US");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public async Task<JsonElement> GetAsync(string path) =>
        await System.Scheduler.GetFromJsonAsync<JsonElement>(path, SweepSystem.Json);

    public void Screenshot(string name) =>
        Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, name + ".png"));

    public async Task DisposeAsync()
    {
        try
        {
            Browser?.Quit();
        }
        finally
        {
            await System.DisposeAsync();
        }
    }
}
