using MassTransit;
using MetaQap.Cli;
using MetaQap.Components.Messaging;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Cli;

/// <summary>Runs the real `metaqap` command tree in-process, and a bus that plays the training worker's side.</summary>
internal static class TrainingCli
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await MetaQapCommandLine.Create().Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString().Replace("\r", "", StringComparison.Ordinal), error.ToString().Replace("\r", "", StringComparison.Ordinal));
    }

    /// <summary>
    /// A started bus on the local broker with one temporary endpoint (its handlers bind it to the commands'
    /// exchanges, as the worker's queues are bound), standing in for a training worker.
    /// </summary>
    public static async Task<IBusControl> StartWorkerDoubleAsync(Action<IRabbitMqReceiveEndpointConfigurator> handlers)
    {
        IBusControl bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new RabbitMqOptions { Uri = LocalServices.RabbitMqUri! });
            rabbit.ReceiveEndpoint(endpoint =>
            {
                // In order, as a worker publishes a run's events one after another.
                endpoint.ConcurrentMessageLimit = 1;
                handlers(endpoint);
            });
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return bus;
    }
}
