using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Board.Tests;

/// <summary>
/// What a person sees on the board, in a real headless Chromium against the running system.
/// One boot and one browser for all (<see cref="BoardSystem"/>); each test saves screenshots.
/// </summary>
public sealed class BoardTests(BoardSystem fixture) : IClassFixture<BoardSystem>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IWebDriver Browser => fixture.Browser;

    [Fact]
    public async Task The_sweeps_list_and_a_sweeps_table_show_every_exchange_with_the_failed_ones_error_class()
    {
        Open("#/sweeps");
        var row = By.CssSelector($"#sweeps tr[data-sweep='{fixture.SecondSweep}']");
        Assert.Contains("completed", TextOf(row), StringComparison.Ordinal);
        Assert.Contains($"{BoardSystem.Exchanges.Length}/{BoardSystem.Exchanges.Length}", TextOf(row), StringComparison.Ordinal);
        Assert.NotNull(WaitFor(By.CssSelector($"#sweeps tr[data-sweep='{fixture.FirstSweep}']")));
        fixture.Screenshot("sweeps");

        Click(By.CssSelector($"#sweeps tr[data-sweep='{fixture.SecondSweep}'] a"));
        var rows = WaitForRows(BoardSystem.Exchanges.Length);
        Assert.Equal(BoardSystem.Exchanges.Order(), rows.Select(r => r.GetAttribute("data-exchange")!).Order());

        var api = await fixture.GetAsync($"/api/sweeps/{fixture.SecondSweep}");
        var failing = api.GetProperty("outcomes").GetProperty(BoardSystem.Failing);
        var errorClass = failing.GetProperty("errorClass").GetString()!;
        Assert.Equal("ExchangeNotAvailable", errorClass);
        var failingRow = RowOf(BoardSystem.Failing);
        Assert.Contains(failing.GetProperty("outcome").GetString()!, TextOf(By.CssSelector($"{failingRow} .badge")), StringComparison.Ordinal);
        Assert.Contains(errorClass, TextOf(By.CssSelector($"{failingRow} td.classes")), StringComparison.Ordinal);
        // Failed in both sweeps: it stands out; binance succeeded in both and does not.
        Assert.Single(Browser.FindElements(By.CssSelector($"{failingRow}.recent-failure")));
        Assert.Empty(Browser.FindElements(By.CssSelector($"{RowOf("binance")}.recent-failure")));
        Assert.Contains("succeeded", TextOf(By.CssSelector(RowOf("binance"))), StringComparison.Ordinal);

        // Liquidity: the median spread of the books binance stored in the sweep, as its stored books say.
        var spreads = new List<double>();
        foreach (var symbol in (await fixture.GetAsync("/api/orderbooks/exchanges/binance?limit=1000")).GetProperty("symbols").EnumerateArray())
        {
            var book = await fixture.GetAsync($"/api/orderbooks/binance/{Uri.EscapeDataString(symbol.GetString()!)}");
            Assert.Equal(fixture.SecondSweep, book.GetProperty("sweepId").GetInt64());
            spreads.Add(book.GetProperty("metrics").GetProperty("spreadBps").GetDouble());
        }

        spreads.Sort();
        var median = spreads.Count % 2 == 1 ? spreads[spreads.Count / 2] : (spreads[(spreads.Count / 2) - 1] + spreads[spreads.Count / 2]) / 2;
        Assert.Equal(median, api.GetProperty("outcomes").GetProperty("binance").GetProperty("medianSpreadBps").GetDouble(), 1e-9);
        AssertShows(median, TextOf(By.CssSelector($"{RowOf("binance")} td.liquidity")).Replace(" bps", "", StringComparison.Ordinal));
        Assert.Equal("–", TextOf(By.CssSelector($"{failingRow} td.liquidity")));
        fixture.Screenshot("sweep");

        // The filter narrows the table to what it names.
        Browser.FindElement(By.Id("exchange-filter")).SendKeys(errorClass);
        var filtered = WaitForRows(rows => rows.All(r => r.FindElement(By.CssSelector("td.classes")).Text.Contains(errorClass, StringComparison.Ordinal)));
        Assert.Contains(filtered, r => r.GetAttribute("data-exchange") == BoardSystem.Failing);
        Assert.DoesNotContain(filtered, r => r.GetAttribute("data-exchange") == "binance");
    }

    [Fact]
    public void The_dashboard_links_the_board_on_the_schedulers_row()
    {
        Assert.True(fixture.System.App.ResourceNotifications.TryGetCurrentState("scheduler", out var scheduler));
        var link = Assert.Single(scheduler!.Snapshot.Urls, u => u.DisplayProperties.DisplayName == "Sweep board");
        Assert.EndsWith("/board/", link.Url, StringComparison.Ordinal);

        Browser.Navigate().GoToUrl(link.Url);
        Assert.NotNull(WaitFor(By.CssSelector($"#sweeps tr[data-sweep='{fixture.SecondSweep}']")));
    }

    [Fact]
    public async Task A_hostile_symbol_and_error_message_are_shown_as_text_and_never_run()
    {
        var found = await fixture.GetAsync("/api/orderbooks/exchanges/binance?search=script");
        var symbol = Assert.Single(found.GetProperty("symbols").EnumerateArray()).GetString()!;
        Assert.Contains("<script>", symbol, StringComparison.OrdinalIgnoreCase);

        Open($"#/sweeps/{fixture.SecondSweep}");
        WaitForRows(BoardSystem.Exchanges.Length);
        var message = TextOf(By.CssSelector($"{RowOf(BoardSystem.Failing)} td.message"));
        Assert.Contains(BoardSystem.HostileFaultBody, message, StringComparison.Ordinal);
        AssertNoInjectedMarkup();

        Open("#/deadletters");
        Assert.Contains(BoardSystem.HostileFaultBody, TextOf(By.CssSelector($"#dead-letters tr[data-exchange='{BoardSystem.Failing}'] td.message")), StringComparison.Ordinal);
        AssertNoInjectedMarkup();

        Open("#/books?exchange=binance");
        var button = Wait(() => Browser.FindElements(By.CssSelector("#symbols button.symbol")).FirstOrDefault(b => b.Text == symbol));
        button.Click();
        Wait(() => Browser.FindElements(By.Id("book-title")).FirstOrDefault(t => t.Text == $"binance · {symbol}"));
        WaitFor(By.CssSelector("#depth-chart canvas"));
        AssertNoInjectedMarkup();
        fixture.Screenshot("book-hostile-symbol");

        await ArchivedSweepsAsync("binance", symbol);
        Open($"#/history?symbol={Uri.EscapeDataString(symbol)}&exchanges=binance&days=1");
        Wait(() => Browser.FindElements(By.Id("history-title")).FirstOrDefault(t => t.Text == $"{symbol} · Spread (bps)"));
        new Actions(Browser).MoveToElement(Browser.FindElement(By.CssSelector("#history-chart .u-over"))).Click().Perform();
        Wait(() => Browser.FindElements(By.Id("book-title")).FirstOrDefault(t => t.Text == $"binance · {symbol}"));
        AssertNoInjectedMarkup();

        Open($"#/compare?symbol={Uri.EscapeDataString(symbol)}");
        Wait(() => Browser.FindElements(By.Id("compare-title")).FirstOrDefault(t => t.Text == symbol));
        Assert.Single(WaitForVenueRows(1), r => r.GetAttribute("data-exchange") == "binance");
        AssertNoInjectedMarkup();
    }

    [Fact]
    public async Task A_books_depth_chart_and_levels_are_drawn_and_follow_a_newer_book()
    {
        var symbols = await fixture.GetAsync("/api/orderbooks/exchanges/okx");
        var symbol = symbols.GetProperty("symbols")[0].GetString()!;
        var book = await fixture.GetAsync($"/api/orderbooks/okx/{Uri.EscapeDataString(symbol)}");

        Open($"#/books?exchange=okx&symbol={Uri.EscapeDataString(symbol)}");
        AssertPainted(WaitFor(By.CssSelector("#depth-chart canvas")));
        Assert.Equal(book.GetProperty("bids").GetArrayLength(), Browser.FindElements(By.CssSelector("#levels-bids tbody tr")).Count);
        Assert.Equal(book.GetProperty("asks").GetArrayLength(), Browser.FindElements(By.CssSelector("#levels-asks tbody tr")).Count);
        var fetchedAt = Browser.FindElement(By.Id("fetched-at")).Text;
        fixture.Screenshot("book");

        // A newer book of the pair arrives over the book stream and replaces the view.
        var sweep = await fixture.System.StartSweepAsync("okx");
        Wait(() => Browser.FindElements(By.Id("fetched-at")).FirstOrDefault(f => f.Text != fetchedAt));
        await fixture.System.WaitForSweepAsync(sweep, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Compare_shows_a_symbols_venues_with_their_metrics_sortable_with_bars_a_depth_chart_and_links()
    {
        const string symbol = "BTC/USDT";
        var market = await fixture.GetAsync($"/api/markets/{Uri.EscapeDataString(symbol)}");
        var venues = market.GetProperty("venues").EnumerateArray().ToDictionary(v => v.GetProperty("exchange").GetString()!);
        Assert.True(venues.Count >= 2, $"{symbol} is on {venues.Count} venue(s)");

        // A person types the base and picks the symbol among its markets.
        Open("#/compare");
        WaitFor(By.Id("compare-search")).SendKeys("BTC");
        Click(By.XPath($"//div[@id='compare-suggestions']/button[text()='{symbol}']"));
        Wait(() => Browser.FindElements(By.Id("compare-title")).FirstOrDefault(t => t.Text == symbol));
        var rows = WaitForVenueRows(venues.Count);
        Assert.Equal(venues.Keys.Order(), rows.Select(r => r.GetAttribute("data-exchange")!).Order());

        // Each row shows its venue's spread as the API computed it; sorted by spread, tightest first.
        var spreads = rows.Select(r => Spread(venues[r.GetAttribute("data-exchange")!])).ToList();
        Assert.Equal(spreads.Order(), spreads);
        foreach (var row in rows)
        {
            var venue = venues[row.GetAttribute("data-exchange")!];
            AssertShows(Spread(venue), row.FindElement(By.CssSelector("td.spread .figure")).Text);
        }

        // The depth bars are the venue's ±1% bid and ask notionals over the largest row's total.
        var depth1 = venues.ToDictionary(v => v.Key, v => Band(v.Value, 1));
        var widest = depth1.Values.Max(d => d.Bid + d.Ask);
        foreach (var (exchange, (bid, ask)) in depth1)
        {
            var widths = (IReadOnlyCollection<object>)Script(
                "return [...arguments[0].querySelectorAll('td.depth')[0].querySelectorAll('.bar')].map(b => parseFloat(b.style.width));",
                Browser.FindElement(By.CssSelector(VenueRow(exchange))))!;
            var shown = widths.Select(w => Convert.ToDouble(w, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(Math.Round(bid * 100 / widest), shown[0], 1.5);
            Assert.Equal(Math.Round(ask * 100 / widest), shown[1], 1.5);
        }

        // The venue serving stale books and the one serving crossed books are marked, as the API flags them.
        Assert.True(venues[BoardSystem.Crossed].GetProperty("metrics").GetProperty("crossed").GetBoolean());
        Assert.True(venues[BoardSystem.Stale].GetProperty("metrics").GetProperty("ageMs").GetInt64() > 60_000);
        foreach (var (exchange, mark) in new[] { (BoardSystem.Crossed, "crossed"), (BoardSystem.Stale, "stale") })
        {
            var row = Browser.FindElement(By.CssSelector(VenueRow(exchange)));
            Assert.Contains(mark, row.GetAttribute("class")!.Split(' '));
            Assert.Equal(mark, row.FindElement(By.CssSelector("td.marks .badge")).Text);
        }

        Assert.All(rows.Where(r => r.GetAttribute("data-exchange") is not (BoardSystem.Crossed or BoardSystem.Stale)),
            r => Assert.Empty(r.FindElements(By.CssSelector("td.marks .badge"))));

        // Sorting by another column reorders the rows: deepest at ±2% first after two clicks.
        Click(By.CssSelector("#venues th[data-key='depth2']"));
        Click(By.CssSelector("#venues th[data-key='depth2']"));
        var byDepth = WaitForVenueRows(venues.Count).Select(r => r.GetAttribute("data-exchange")!).ToList();
        var depth2 = byDepth.Select(e => Band(venues[e], 2)).Select(d => d.Bid + d.Ask).ToList();
        Assert.Equal(depth2.OrderDescending(), depth2);

        AssertPainted(WaitFor(By.CssSelector("#compare-chart canvas")));
        fixture.Screenshot("compare");

        // Each venue links to its book.
        var first = byDepth[0];
        Click(By.CssSelector($"{VenueRow(first)} a.venue-link"));
        Wait(() => Browser.FindElements(By.Id("book-title")).FirstOrDefault(t => t.Text == $"{first} · {symbol}"));
    }

    [Fact]
    public async Task History_charts_a_metric_over_the_archived_sweeps_and_a_click_opens_that_sweeps_archived_book()
    {
        const string symbol = "BTC/USDT";
        string[] exchanges = ["binance", "okx"];
        foreach (var archived in exchanges)
        {
            await ArchivedSweepsAsync(archived, symbol);
        }

        Open($"#/history?symbol={Uri.EscapeDataString(symbol)}&exchanges={string.Join(',', exchanges)}&field=spread_bps&days=1");
        Wait(() => Browser.FindElements(By.Id("history-title")).FirstOrDefault(t => t.Text == $"{symbol} · Spread (bps)"));
        AssertPainted(WaitFor(By.CssSelector("#history-chart canvas")));
        // A line per exchange, each named in the legend and ticked above the chart.
        var legend = Browser.FindElements(By.CssSelector("#history-chart .u-legend .u-label")).Select(l => l.Text).ToList();
        Assert.All(exchanges, e => Assert.Contains(e, legend));
        Assert.Equal(exchanges, Browser.FindElements(By.CssSelector("#history-exchanges input:checked")).Select(c => c.GetDomProperty("value")));
        fixture.Screenshot("history");

        // A click in the plot opens the archived book behind the nearest point.
        new Actions(Browser).MoveToElement(Browser.FindElement(By.CssSelector("#history-chart .u-over"))).Click().Perform();
        var title = Wait(() => Browser.FindElements(By.Id("book-title")).FirstOrDefault()?.Text);
        var exchange = Assert.Single(exchanges, e => title == $"{e} · {symbol}");
        var sweepId = long.Parse(WaitFor(By.Id("archived-sweep")).Text.TrimStart('#'), CultureInfo.InvariantCulture);
        var point = Assert.Single(await ArchivedSweepsAsync(exchange, symbol), p => p.SweepId == sweepId);
        var book = await fixture.GetAsync($"/api/history/{exchange}/{Uri.EscapeDataString(symbol)}/book?at={point.FetchedAt.ToUnixTimeMilliseconds()}");
        Assert.Equal(sweepId, book.GetProperty("sweepId").GetInt64());
        AssertPainted(WaitFor(By.CssSelector("#archived-book #depth-chart canvas")));
        Assert.Equal(book.GetProperty("bids").GetArrayLength(), Browser.FindElements(By.CssSelector("#levels-bids tbody tr")).Count);
        Assert.Equal(book.GetProperty("asks").GetArrayLength(), Browser.FindElements(By.CssSelector("#levels-asks tbody tr")).Count);
        fixture.Screenshot("history-book");
    }

    [Fact]
    public async Task A_finished_sweeps_page_links_its_three_parquet_files()
    {
        Open($"#/sweeps/{fixture.SecondSweep}");
        var links = Wait(() => Browser.FindElements(By.CssSelector("#archive-links a.download")) is { Count: 3 } found ? found : null);
        Assert.Equal(["books", "metrics", "outcomes"], links.Select(l => l.GetDomAttribute("data-part")));
        foreach (var href in links.Select(l => new Uri(l.GetDomProperty("href")!)).ToList())
        {
            // Written by the archiver's next pass after the sweep ended: 404 until then.
            var file = await Eventually.UntilAsync(
                async () =>
                {
                    using var response = await fixture.System.Scheduler.GetAsync(href);
                    return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
                },
                bytes => bytes is not null,
                $"{href} to be written");
            // A whole Parquet file: the magic number at both ends.
            Assert.Equal("PAR1"u8.ToArray(), file![..4]);
            Assert.Equal("PAR1"u8.ToArray(), file[^4..]);
        }
    }

    [Fact]
    public async Task A_dead_letter_requeued_from_its_button_with_the_api_key_then_succeeds()
    {
        (await fixture.System.Simulator.DeleteAsync($"/admin/faults/{BoardSystem.Requeued}")).EnsureSuccessStatusCode();
        Open("#/deadletters");
        var selector = By.CssSelector($"#dead-letters tr[data-exchange='{BoardSystem.Requeued}'][data-sweep='{fixture.FirstSweep}']");
        WaitFor(selector);
        fixture.Screenshot("deadletters");

        Click(By.CssSelector($"#dead-letters tr[data-exchange='{BoardSystem.Requeued}'][data-sweep='{fixture.FirstSweep}'] button.requeue"));
        EnterApiKeyIfAsked();
        WaitUntil(() => Browser.FindElements(selector).Count == 0);

        var sweep = await fixture.System.WaitForSweepAsync(fixture.FirstSweep, TimeSpan.FromMinutes(1));
        Assert.Equal(ExchangeOutcomeKind.Succeeded, sweep.Outcomes[BoardSystem.Requeued].Outcome);
        Open($"#/sweeps/{fixture.FirstSweep}");
        WaitForRows(BoardSystem.Exchanges.Length);
        WaitUntil(() => Browser.FindElement(By.CssSelector(RowOf(BoardSystem.Requeued))).Text.Contains("succeeded", StringComparison.Ordinal));

        // The key was used from memory only: not in the address, a cookie or Web Storage.
        var traces = (string)Script("return location.href + document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage);")!;
        Assert.DoesNotContain(fixture.ApiKey, traces, StringComparison.Ordinal);
    }

    [Fact]
    public void Now_shows_permits_queue_and_schedule_and_pauses_and_resumes_the_schedule()
    {
        Open("#/now");
        Assert.EndsWith("of 5", WaitFor(By.Id("permits-held")).Text, StringComparison.Ordinal);
        Assert.Equal("on demand only", Browser.FindElement(By.Id("interval")).Text);
        Assert.Matches("^[0-9]+$", Browser.FindElement(By.Id("queue-depth")).Text);
        Assert.Matches("^[0-9]+$", Browser.FindElement(By.Id("delayed-retries")).Text);
        WaitUntil(() => Browser.FindElement(By.Id("schedule-state")).Text == "active");
        fixture.Screenshot("now");

        Browser.FindElement(By.Id("pause")).Click();
        EnterApiKeyIfAsked();
        WaitUntil(() => Browser.FindElement(By.Id("schedule-state")).Text == "paused");
        Browser.FindElement(By.Id("resume")).Click();
        EnterApiKeyIfAsked();
        WaitUntil(() => Browser.FindElement(By.Id("schedule-state")).Text == "active");
    }

    [Fact]
    public async Task The_dead_letter_actions_need_the_api_key_and_validate_their_input()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.System.Scheduler.BaseAddress };
        var letter = $"/api/deadletters/{fixture.FirstSweep}/{BoardSystem.Failing}";
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Post, letter + "/requeue"),
            new HttpRequestMessage(HttpMethod.Delete, letter),
            new HttpRequestMessage(HttpMethod.Post, "/api/deadletters/requeue") { Content = JsonContent.Create(new { errorClass = "ExchangeNotAvailable" }) },
        })
        {
            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // Nothing was changed by the refused requests.
        var page = await fixture.GetAsync($"/api/deadletters?errorClass=ExchangeNotAvailable&limit=200");
        Assert.Contains(page.GetProperty("items").EnumerateArray(), d => d.GetProperty("exchange").GetString() == BoardSystem.Failing);

        var scheduler = fixture.System.Scheduler;
        Assert.Equal(HttpStatusCode.BadRequest, (await scheduler.PostAsync($"/api/deadletters/{fixture.FirstSweep}/Not%20An%20Id/requeue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await scheduler.PostAsJsonAsync("/api/deadletters/requeue", new { errorClass = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await scheduler.GetAsync("/api/deadletters?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await scheduler.GetAsync("/api/sweeps?before=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scheduler.PostAsync("/api/deadletters/999999/binance/requeue", null)).StatusCode);
    }

    private void Open(string hash)
    {
        var url = new Uri(fixture.Board, hash).ToString();
        if (Browser.Url.StartsWith(fixture.Board.ToString(), StringComparison.Ordinal))
        {
            // Same page: a hash change keeps the key in memory, as a person clicking around would.
            Script("location.hash = arguments[0];", hash);
        }
        else
        {
            Browser.Navigate().GoToUrl(url);
            // Counts what an injected alert(...) would do, instead of a dialog that stops the browser.
            Script("window.alert = () => { window.__alerts = (window.__alerts || 0) + 1; };");
        }
    }

    /// <summary>The key dialog opens when the scheduler refuses an action; a person types the key.</summary>
    private void EnterApiKeyIfAsked()
    {
        var dialog = Browser.FindElement(By.Id("key-dialog"));
        try
        {
            new WebDriverWait(Browser, TimeSpan.FromSeconds(3)).Until(_ => dialog.GetAttribute("open") is not null, CancellationToken.None);
        }
        catch (WebDriverTimeoutException)
        {
            return; // the key is in the page's memory already
        }

        Browser.FindElement(By.Id("key-input")).SendKeys(fixture.ApiKey);
        Browser.FindElement(By.Id("key-ok")).Click();
    }

    private void AssertNoInjectedMarkup()
    {
        var injected = Script("return document.querySelectorAll('main script, main img, main iframe').length;");
        Assert.Equal(0L, Convert.ToInt64(injected, CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(Script("return window.__alerts || 0;"), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The archived points of a book, once there is one: the archiver writes a sweep's files when
    /// it ends, and stages an exchange's books when its outcome is recorded.
    /// </summary>
    private async Task<IReadOnlyList<(long SweepId, DateTimeOffset FetchedAt)>> ArchivedSweepsAsync(string exchange, string symbol) =>
        await Eventually.UntilAsync(
            async () => (await fixture.GetAsync($"/api/history/{exchange}/{Uri.EscapeDataString(symbol)}?fields=spread_bps")).GetProperty("points").EnumerateArray()
                .Select(p => (p.GetProperty("sweepId").GetInt64(), p.GetProperty("fetchedAt").GetDateTimeOffset())).ToList(),
            points => points.Count > 0,
            $"the archive to hold a book of {exchange}'s {symbol}");

    /// <summary>A figure the page rounded for display (two decimals, or two significant digits below 1) is the API's.</summary>
    private static void AssertShows(double expected, string shown) =>
        Assert.Equal(expected, double.Parse(shown, CultureInfo.InvariantCulture), Math.Abs(expected) >= 1 ? 0.005 : Math.Abs(expected) * 0.05);

    /// <summary>A uPlot chart drew its series: over 2,000 non-transparent pixels on its canvas.</summary>
    private void AssertPainted(IWebElement canvas)
    {
        var painted = Wait(() => Script("""
            const c = arguments[0], data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
            return n > 2000 ? n : null;
            """, canvas));
        Assert.True(Convert.ToInt64(painted, CultureInfo.InvariantCulture) > 2000);
    }

    private static double Spread(JsonElement venue) => venue.GetProperty("metrics").GetProperty("spreadBps").GetDouble();

    /// <summary>The venue's depth band at <paramref name="percent"/>, in the quote currency.</summary>
    private static (double Bid, double Ask) Band(JsonElement venue, double percent)
    {
        var band = venue.GetProperty("metrics").GetProperty("depth").EnumerateArray().Single(d => d.GetProperty("percent").GetDouble() == percent);
        return (band.GetProperty("bidQuote").GetDouble(), band.GetProperty("askQuote").GetDouble());
    }

    private IReadOnlyList<IWebElement> WaitForVenueRows(int count) => Wait(() =>
    {
        var rows = Browser.FindElements(By.CssSelector("#venues tbody tr[data-exchange]"));
        return rows.Count == count ? rows : null;
    });

    private static string VenueRow(string exchange) => $"#venues tr[data-exchange='{exchange}']";

    private static string RowOf(string exchange) => $"#exchanges tr[data-exchange='{exchange}']";

    /// <summary>The text of an element, read again if the live view re-rendered it meanwhile.</summary>
    private string TextOf(By by) => Wait(() => Browser.FindElements(by).FirstOrDefault()?.Text);

    private void Click(By by) => WaitUntil(() =>
    {
        Browser.FindElement(by).Click();
        return true;
    });

    private IReadOnlyList<IWebElement> WaitForRows(int count) =>
        WaitForRows(rows => rows.Count == count);

    private IReadOnlyList<IWebElement> WaitForRows(Func<IReadOnlyList<IWebElement>, bool> done) =>
        Wait(() =>
        {
            var rows = Browser.FindElements(By.CssSelector("#exchanges tbody tr[data-exchange]"));
            return rows.Count > 0 && done(rows) ? rows : null;
        });

    private IWebElement WaitFor(By by) => Wait(() => Browser.FindElements(by).FirstOrDefault());

    private T Wait<T>(Func<T?> read) where T : class =>
        new WebDriverWait(Browser, Patience) { PollingInterval = TimeSpan.FromMilliseconds(100) }
            .Until(_ =>
            {
                try
                {
                    return read();
                }
                catch (StaleElementReferenceException)
                {
                    return null; // the view re-rendered between finding and reading
                }
            }, CancellationToken.None)!;

    private void WaitUntil(Func<bool> done) =>
        new WebDriverWait(Browser, Patience) { PollingInterval = TimeSpan.FromMilliseconds(100) }
            .Until(_ =>
            {
                try
                {
                    return done();
                }
                catch (Exception e) when (e is StaleElementReferenceException or NoSuchElementException)
                {
                    return false;
                }
            }, CancellationToken.None);

    private object? Script(string script, params object[] args) => ((IJavaScriptExecutor)Browser).ExecuteScript(script, args);
}
