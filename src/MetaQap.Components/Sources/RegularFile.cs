using System.Runtime.InteropServices;
using MetaQap.Contracts;
using Microsoft.Win32.SafeHandles;

namespace MetaQap.Components.Sources;

/// <summary>
/// Opens a file for reading only when it is a regular file, decided on the opened descriptor (fstat-like, with
/// statx) rather than on the path, so nothing can be swapped in between a check and the open. The open itself is
/// non-blocking: a named pipe without a writer would otherwise block open(2) forever, holding the whole batch.
/// FIFOs, sockets and character or block devices are refused with <see cref="FailureCode.NotRegularFile"/>.
/// Linux only (the worker's platform); elsewhere the file is opened as usual.
/// </summary>
internal static class RegularFile
{
    private const int ReadOnly = 0, NonBlocking = 0x800, CloseOnExec = 0x80000; // O_RDONLY, O_NONBLOCK, O_CLOEXEC
    private const int EmptyPath = 0x1000, TypeMask = 0x1; // AT_EMPTY_PATH, STATX_TYPE
    private const int FormatBits = 0xF000, Regular = 0x8000, Directory = 0x4000, Fifo = 0x1000, Character = 0x2000, Block = 0x6000, Socket = 0xC000;
    private const int NoSuchFile = 2, Denied = 13, NoDevice = 6, NotPermitted = 1, IsDirectory = 21; // ENOENT, EACCES, ENXIO, EPERM, EISDIR
    private const int StatxModeOffset = 28, StatxSize = 256; // struct statx: stx_mode (u16) at byte 28, on every architecture

    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not read it.</exception>
    /// <exception cref="ImageFetchException">It exists but is not a regular file (<see cref="FailureCode.NotRegularFile"/>).</exception>
    public static SafeFileHandle OpenRead(string path, string reference)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        int fd = Open(path, ReadOnly | NonBlocking | CloseOnExec);
        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                NoSuchFile => new FileNotFoundException($"'{reference}' does not exist."),
                Denied or NotPermitted => new UnauthorizedAccessException($"permission denied (errno {error})"),
                // open(2) on a socket fails with ENXIO: it is there, but it is not a file.
                NoDevice => NotRegular(reference, "a socket or a device without a driver"),
                IsDirectory => NotRegular(reference, "a folder"),
                _ => new IOException($"'{reference}' cannot be opened (errno {error})."),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        int type = TypeOf(handle);
        if (type != Regular)
        {
            handle.Dispose();
            throw NotRegular(reference, type switch
            {
                Fifo => "a named pipe (FIFO)",
                Character => "a character device",
                Block => "a block device",
                Socket => "a socket",
                Directory => "a folder",
                _ => "not a regular file",
            });
        }

        return handle;
    }

    private static int TypeOf(SafeFileHandle handle)
    {
        var buffer = new byte[StatxSize];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx((int)handle.DangerousGetHandle(), "", EmptyPath, TypeMask, buffer) != 0)
            {
                throw new IOException($"statx failed (errno {Marshal.GetLastPInvokeError()}).");
            }

            return BitConverter.ToUInt16(buffer, StatxModeOffset) & FormatBits;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static ImageFetchException NotRegular(string reference, string what) =>
        new(FailureCode.NotRegularFile, $"'{reference}' is {what}; only regular files are read.");

    // Strings marshal as UTF-8 on Unix (CharSet.Ansi), which is what the kernel takes.
    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, string path, int flags, int mask, [Out] byte[] buffer);
}
