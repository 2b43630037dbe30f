namespace MetaQap.Imaging.Distortions.Support;

/// <summary>A dense 2-D filter kernel, row-major, odd width and height.</summary>
internal sealed class Kernel2D
{
    private readonly float[] _weights;

    public Kernel2D(int width, int height, float[] weights)
    {
        if (width % 2 == 0 || height % 2 == 0 || weights.Length != width * height)
        {
            throw new ArgumentException("A kernel needs odd dimensions and width*height weights.", nameof(weights));
        }

        Width = width;
        Height = height;
        _weights = weights;
    }

    public int Width { get; }

    public int Height { get; }

    public float this[int y, int x] => _weights[(y * Width) + x];
}
