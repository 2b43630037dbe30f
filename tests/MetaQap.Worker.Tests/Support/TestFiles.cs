using System.Diagnostics;
using System.Net.Sockets;

namespace MetaQap.Worker.Tests.Support;

/// <summary>Special files for the file-source tests: named pipes, Unix sockets and (as root) device nodes.</summary>
internal static class TestFiles
{
    public static void MakeFifo(string path) => MustRun("mkfifo", path);

    /// <summary>A listening Unix socket at <paramref name="path"/>; dispose it to close it.</summary>
    public static Socket BindUnixSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }

    /// <summary>A character device node like /dev/zero (major 1, minor 5) at <paramref name="path"/>; false when not permitted (not root).</summary>
    public static bool TryMakeDeviceNode(string path) => Run("mknod", path, "c", "1", "5").ExitCode == 0;

    private static void MustRun(string command, params string[] arguments)
    {
        (int exitCode, string error) = Run(command, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error}");
        }
    }

    private static (int ExitCode, string Error) Run(string command, params string[] arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
