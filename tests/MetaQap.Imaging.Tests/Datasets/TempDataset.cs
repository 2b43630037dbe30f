using System.Text;

namespace MetaQap.Imaging.Tests.Datasets;

/// <summary>A throwaway folder for manifest fixtures; the image files it makes are empty (nothing is decoded).</summary>
internal sealed class TempDataset : IDisposable
{
    public TempDataset()
    {
        Root = Path.Combine(Path.GetTempPath(), "metaqap-datasets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes the text exactly as given (UTF-8, no byte-order mark unless asked), returning the full path.</summary>
    public string Write(string relativePath, string text, bool byteOrderMark = false)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(byteOrderMark));
        return path;
    }

    /// <summary>Creates empty image files in a subfolder of the root.</summary>
    public void Images(string folder, params string[] names)
    {
        Directory.CreateDirectory(Path.Combine(Root, folder));
        foreach (string name in names)
        {
            File.WriteAllBytes(Path.Combine(Root, folder, name), []);
        }
    }

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
