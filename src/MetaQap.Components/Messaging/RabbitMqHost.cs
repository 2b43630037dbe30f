using MassTransit;

namespace MetaQap.Components.Messaging;

/// <summary>Points a MassTransit RabbitMQ bus at <see cref="RabbitMqOptions.Uri"/> (the worker, the CLI and tests share it).</summary>
public static class RabbitMqHost
{
    public static void Host(this IRabbitMqBusFactoryConfigurator configurator, RabbitMqOptions options)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(options);
        var uri = new Uri(options.Uri);
        string[] credentials = uri.UserInfo.Split(':', 2);
        string virtualHost = uri.AbsolutePath.Length > 1 ? Uri.UnescapeDataString(uri.AbsolutePath[1..]) : "/";
        int port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        configurator.Host(uri.Host, (ushort)port, virtualHost, host =>
        {
            if (credentials[0].Length > 0)
            {
                host.Username(Uri.UnescapeDataString(credentials[0]));
                host.Password(credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "");
            }

            if (uri.Scheme == "amqps")
            {
                host.UseSsl(ssl => ssl.ServerName = uri.Host);
            }
        });
    }
}
