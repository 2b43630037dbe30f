namespace MetaQap.Imaging.Distortions.Families;

/// <summary>A box of histogram cells: lower bounds exclusive, upper bounds inclusive (Wu's convention).</summary>
internal readonly record struct ColorBox(int R0, int R1, int G0, int G1, int B0, int B1)
{
    public int Cells => (R1 - R0) * (G1 - G0) * (B1 - B0);
}
