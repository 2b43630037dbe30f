using System.Diagnostics;
using System.Net.Sockets;

namespace MetaQap.Worker.Tests.Support;

/// <summary>Special files for the file-source tests: named pipes, Unix sockets and (as root) device nodes.</summary>
internal static class TestFiles
{
    public static void MakeFifo(string path) => Run("mkfifo", path);

    /// <summary>A listening Unix socket at <paramref name="path"/>; dispose it to close it.</summary>
    public static Socket BindUnixSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }

    /// <summary>A character device node like /dev/zero (major 1, minor 5) at <paramref name="path"/>; false when not permitted (not root).</summary>
    public static bool TryMakeDeviceNode(string path)
    {
        using Process process = Process.Start(new ProcessStartInfo("mknod", [path, "c", "1", "5"]) { RedirectStandardError = true, UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private static void Run(string command, string argument)
    {
        using Process process = Process.Start(new ProcessStartInfo(command, [argument]) { RedirectStandardError = true, UseShellExecute = false })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {argument} failed: {error}");
        }
    }
}
