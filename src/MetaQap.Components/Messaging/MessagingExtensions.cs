using MassTransit;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Messaging;

public static class MessagingExtensions
{
    private const string FeaturesKey = "MetaQap.Messaging.Features";

    /// <summary>
    /// A feature's consumers (and any receive endpoint of its own, such as scoring's raw JSON queue), added to the bus
    /// that <see cref="AddMetaQapMessaging"/> builds. Each feature registers its own; the messaging layer knows none.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapConsumers(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> consumers, Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(consumers);
        MessagingFeatures features = Features(builder);
        if (features.BusAdded)
        {
            throw new InvalidOperationException("Consumers must be added before AddMetaQapMessaging builds the bus.");
        }

        features.Consumers.Add(consumers);
        if (endpoints is not null)
        {
            features.Endpoints.Add(endpoints);
        }

        return builder;
    }

    /// <summary>
    /// MassTransit on RabbitMQ with the consumers the features added, on their definitions' queues. Call it after
    /// every feature: hosted services start in registration order, so the bus starts taking messages last. Start-up
    /// waits until the broker is connected and fails after <see cref="RabbitMqOptions.StartTimeout"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMetaQapMessaging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.HasValidUri(), $"{RabbitMqOptions.SectionName}:Uri must be an amqp:// or amqps:// URI.")
            .ValidateOnStart();

        MessagingFeatures features = Features(builder);
        features.BusAdded = true;
        builder.Services.AddMassTransit(bus =>
        {
            foreach (Action<IBusRegistrationConfigurator> consumers in features.Consumers)
            {
                consumers(bus);
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value);
                // MassTransit's System.Diagnostics.Metrics meter; WorkerMetrics exports it on /metrics.
                rabbit.UseInstrumentation(serviceName: "metaqap-worker");
                rabbit.ConfigureEndpoints(context);
                foreach (Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> endpoints in features.Endpoints)
                {
                    endpoints(context, rabbit);
                }
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<RabbitMqOptions>>((host, rabbit) =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = rabbit.Value.StartTimeout;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    private static MessagingFeatures Features(IHostApplicationBuilder builder)
    {
        if (!builder.Properties.TryGetValue(FeaturesKey, out object? value))
        {
            value = new MessagingFeatures();
            builder.Properties[FeaturesKey] = value;
        }

        return (MessagingFeatures)value;
    }

    /// <summary>What the features added, kept on the builder until the bus is built.</summary>
    private sealed class MessagingFeatures
    {
        public List<Action<IBusRegistrationConfigurator>> Consumers { get; } = [];

        public List<Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>> Endpoints { get; } = [];

        public bool BusAdded { get; set; }
    }
}
