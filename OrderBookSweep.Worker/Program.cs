using OrderBookSweep.Worker.Exchanges;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddExchangeEngine();
builder.Build().MapDefaultEndpoints().Run();
