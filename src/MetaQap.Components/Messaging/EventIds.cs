using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MetaQap.Components.Messaging;

/// <summary>
/// Message ids of the worker's events, derived from what the event is about instead of drawn at random: an image's
/// outcome event and a job's completion event carry the same <c>messageId</c> however often they are published.
/// Events are published at least once (a batch redelivered after a crash republishes what it cannot prove was
/// published), so a subscriber that must see each outcome once deduplicates on this id. Name-based UUIDs in the
/// RFC 9562 version 8 layout, from SHA-256.
/// </summary>
public static class EventIds
{
    public static Guid ForImage(Guid jobId, string imageId) =>
        Derive(string.Create(CultureInfo.InvariantCulture, $"metaqap:image:{jobId:D}:{imageId}"));

    public static Guid ForCompletion(Guid jobId) =>
        Derive(string.Create(CultureInfo.InvariantCulture, $"metaqap:job:{jobId:D}"));

    /// <summary>A training run's outcome event (<c>TrainingCompleted</c> or <c>TrainingFailed</c>).</summary>
    public static Guid ForTrainingOutcome(Guid runId) =>
        Derive(string.Create(CultureInfo.InvariantCulture, $"metaqap:training:{runId:D}"));

    private static Guid Derive(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
