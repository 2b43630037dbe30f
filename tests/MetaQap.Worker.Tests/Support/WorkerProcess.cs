using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// The real worker binary (<c>metaqap-worker</c>, built next to the tests by the project reference) as a child
/// process: configured through <c>MetaQap__*</c> environment variables as in production, its whole console output
/// kept, stoppable with SIGTERM and killable with SIGKILL. For what an in-process host cannot show: a process
/// dying at an arbitrary instruction, two independent workers, the real log output.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process, int telemetryPort)
    {
        _process = process;
        TelemetryAddress = new Uri($"http://127.0.0.1:{telemetryPort.ToString(CultureInfo.InvariantCulture)}/");
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
    }

    public Uri TelemetryAddress { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the worker with these settings (configuration keys, <c>MetaQap:Section:Key</c>) on a free telemetry
    /// port; with <paramref name="waitUntilReady"/>, returns once <c>/healthz</c> answers 200 (or throws with the
    /// output if the process exits or does not get there in time).
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, bool waitUntilReady = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "metaqap-worker"))
        {
            // The worker's appsettings.json is copied next to the tests; the content root is the working directory.
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string key, string? value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["MetaQap__Telemetry__Port"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(process, port);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitUntilReady)
        {
            await worker.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }

        return worker;
    }

    /// <summary>
    /// Waits for the process to exit and for its redirected output to reach end of file: <see cref="HasExited"/>
    /// turns true before the last lines (a start failure's sentence) have been read.
    /// </summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no acknowledgement; the broker requeues what it had delivered.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod, and waits for the graceful shutdown.</summary>
    public async Task StopAsync()
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"metaqap-worker exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(TelemetryAddress, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"metaqap-worker was not ready within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
