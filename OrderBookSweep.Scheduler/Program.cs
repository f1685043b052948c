using OrderBookSweep.Scheduler.Apis;
using OrderBookSweep.Scheduler.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapSweepBoard();
app.MapGet("/health/sweep", SweepsApi.GetLatestSummary).DisableHttpMetrics(); // polled by the dashboard, like a probe
app.MapSweepsApi();
app.MapOrderBooksApi();
app.MapMarketsApi();
app.MapScheduleApi();
app.MapDeadLettersApi();
app.MapActivityApi();
app.MapArchiveApi();

app.Run();
