using System.ComponentModel.DataAnnotations;

namespace MetaQap.Worker.Messaging;

/// <summary>The broker.</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "MetaQap:RabbitMq";

    /// <summary><c>amqp://user:password@host:5672/vhost</c> (amqps for TLS); the vhost defaults to "/".</summary>
    [Required]
    public string Uri { get; set; } = "";

    /// <summary>How long start-up waits for the broker before failing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    internal bool HasValidUri() =>
        System.Uri.TryCreate(Uri, UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "amqp" or "amqps";
}
