using System.Diagnostics;
using MetaQap.Components.Sources;
using MetaQap.Components.Telemetry;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace MetaQap.Worker.Tests.Sources;

/// <summary>
/// A file reference can never hold its batch (issue 16): what is not a regular file is refused on the opened
/// descriptor, and a read that stalls fails alone at the fetch deadline. Each case is bounded in time.
/// </summary>
public sealed class FileSourceTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempFolder _root = new();

    public FileSourceTests() => File.WriteAllBytes(_root.Combine("ok.png"), ImageEncoder.EncodePng(SyntheticImages.Content(32, seed: 1)));

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_named_pipe_without_a_writer_is_refused_at_once_and_the_rest_loads()
    {
        TestFiles.MakeFifo(_root.Combine("pipe.png"));
        using IHost host = Host(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        LoadedImage[] loaded = await Load(host, "pipe.png", "ok.png").WaitAsync(Bound);

        Assert.Equal(FailureCode.NotRegularFile, loaded[0].Failure?.Code);
        Assert.Contains("named pipe", loaded[0].Failure!.Detail, StringComparison.Ordinal);
        Assert.NotNull(loaded[1].Image);
        // Refused by type, not by the 30 s deadline.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [SkippableFact]
    public async Task A_device_node_reached_through_an_in_root_path_is_refused()
    {
        Skip.IfNot(TestFiles.TryMakeDeviceNode(_root.Combine("sub-zero.png")), "mknod needs root");
        Directory.CreateDirectory(_root.Combine("sub"));
        File.CreateSymbolicLink(_root.Combine("sub", "looks-like.png"), _root.Combine("sub-zero.png"));
        using IHost host = Host(TimeSpan.FromSeconds(30));

        LoadedImage[] loaded = await Load(host, "sub-zero.png", "sub/looks-like.png", "ok.png").WaitAsync(Bound);

        Assert.Equal(new FailureCode?[] { FailureCode.NotRegularFile, FailureCode.NotRegularFile }, loaded[..2].Select(l => l.Failure?.Code));
        Assert.Contains("character device", loaded[0].Failure!.Detail, StringComparison.Ordinal);
        Assert.NotNull(loaded[2].Image);
    }

    [Fact]
    public async Task A_file_that_stalls_mid_read_fails_with_FetchTimeout_and_frees_its_slot()
    {
        byte[] png = ImageEncoder.EncodePng(SyntheticImages.Content(48, seed: 2));
        File.WriteAllBytes(_root.Combine("stalls.png"), png);
        using var release = new ManualResetEventSlim();
        using IHost host = Host(TimeSpan.FromSeconds(1), StallingAfterHalf(png.Length, release), concurrency: 1);
        try
        {
            var clock = Stopwatch.StartNew();
            // One fetch slot: the good images behind the stalled one load only because the deadline frees the slot.
            LoadedImage[] loaded = await Load(host, "stalls.png", "ok.png", "ok.png").WaitAsync(Bound);

            Assert.Equal(FailureCode.FetchTimeout, loaded[0].Failure?.Code);
            Assert.All(loaded[1..], l => Assert.NotNull(l.Image));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
        finally
        {
            release.Set(); // the abandoned read ends
        }
    }

    /// <summary>Reads normally, except that a file of <paramref name="length"/> bytes blocks (ignoring cancellation) after its first half.</summary>
    internal static Func<SafeFileHandle, Memory<byte>, long, CancellationToken, ValueTask<int>> StallingAfterHalf(long length, ManualResetEventSlim release) =>
        async (handle, buffer, offset, ct) =>
        {
            if (RandomAccess.GetLength(handle) != length)
            {
                return await RandomAccess.ReadAsync(handle, buffer, offset, ct);
            }

            if (offset == 0)
            {
                return await RandomAccess.ReadAsync(handle, buffer[..(int)(length / 2)], offset, ct);
            }

            // A read stuck in the kernel does not see the token. The wait holds no pool thread (a registered wait):
            // a blocked pool thread made the good files' reads queue past their deadline on a loaded 2-core machine.
            var stuck = new TaskCompletionSource();
            RegisteredWaitHandle registration = ThreadPool.RegisterWaitForSingleObject(release.WaitHandle,
                (_, _) => stuck.TrySetResult(), null, Timeout.Infinite, executeOnlyOnce: true);
            await stuck.Task;
            registration.Unregister(null);
            return 0;
        };

    private IHost Host(TimeSpan fetchTimeout, Func<SafeFileHandle, Memory<byte>, long, CancellationToken, ValueTask<int>>? read = null, int concurrency = 8)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MetaQap:Sources:FileRoots:0"] = _root.Path,
            ["MetaQap:Sources:FetchTimeout"] = fetchTimeout.ToString(),
            ["MetaQap:Sources:FetchConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.AddMetaQapSources();
        if (read is not null)
        {
            builder.Services.AddSingleton(sp => new FileImageSource(sp.GetRequiredService<IOptions<SourceOptions>>(), read));
        }

        return builder.Build();
    }

    private static Task<LoadedImage[]> Load(IHost host, params string[] files) =>
        host.Services.GetRequiredService<ImageLoader>().LoadAllAsync(files.Select(f => ((string?)f, (string?)null)), null, CancellationToken.None);
}
