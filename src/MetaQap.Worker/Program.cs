using MetaQap.Worker;
using MetaQap.Worker.Telemetry;

// The scoring worker: configuration in appsettings.json / MetaQap__* environment variables (docs/worker.md).
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.AddMetaQapWorker();
WebApplication app = builder.Build();
app.MapMetaQapTelemetry();
await app.RunAsync();
