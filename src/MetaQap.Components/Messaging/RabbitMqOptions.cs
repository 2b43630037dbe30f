using System.ComponentModel.DataAnnotations;

namespace MetaQap.Components.Messaging;

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

    /// <summary>
    /// Largest message body the worker takes (default 8 MiB); a larger one goes to the queue's _error queue unread.
    /// A full message of 1000 references fits in well under 1 MiB; inline images are meant to be small.
    /// </summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxMessageBytes { get; set; } = 8L * 1024 * 1024;

    internal bool HasValidUri() =>
        System.Uri.TryCreate(Uri, UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "amqp" or "amqps";
}
