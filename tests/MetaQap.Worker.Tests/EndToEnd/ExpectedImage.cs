using MetaQap.Contracts;

namespace MetaQap.Worker.Tests.EndToEnd;

/// <summary>An image of a test job and what the worker must make of it: a score at a blur level, or a failure code.</summary>
internal sealed record ExpectedImage(ImageReference Reference, int? BlurLevel, FailureCode? Failure);
