using MassTransit;

namespace MetaQap.Worker.Tests.Support;

/// <summary>Publishes MassTransit messages from a test that has no worker host of its own (the worker runs as a process).</summary>
internal static class TestBus
{
    public static async Task PublishAsync<T>(T message)
        where T : class
    {
        IBusControl bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(LocalServices.RabbitMqUri!)));
        await bus.StartAsync();
        try
        {
            await bus.Publish(message);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
