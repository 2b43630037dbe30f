using System.Diagnostics.CodeAnalysis;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// A leaf's paint, worked out when the leaf first covers an open pixel. About 40% of the leaves that reach the
/// canvas turn out to cover nothing still visible, and the paint (colour, shading, texture mapping) is the costly
/// part of a leaf. Paint draws from its own stream, so it is the same whether it is made early, late or never.
/// </summary>
internal struct DeferredPaint(DeadLeavesRenderer renderer, SceneStyle style, ulong seed, float sceneX, float sceneY,
    float centerX, float centerY, float radius, float scale)
{
    private LeafPaint _paint;
    private bool _ready;

    public readonly float CenterX => centerX;

    public readonly float CenterY => centerY;

    public ref readonly LeafPaint Value
    {
        [UnscopedRef]
        get
        {
            if (!_ready)
            {
                _paint = renderer.Paint(seed, style, sceneX, sceneY, centerX, centerY, radius, scale);
                _ready = true;
            }

            return ref _paint;
        }
    }
}
