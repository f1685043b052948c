using OrderBookSweep.ExchangeSimulator;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddExchangeSimulator();
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapExchangeSimulator();
app.Run();
