using MetaQap.Imaging.Decoding;

namespace MetaQap.Modeling.Ensembles;

/// <summary>An image of an evaluated dataset that could not be decoded (left out of the metrics).</summary>
public sealed record EvaluationFailure(string ImageId, ImageErrorCode Code, string Message);
