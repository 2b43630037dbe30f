using System.Diagnostics;
using System.Globalization;

namespace MetaQap.Cli.Commands;

/// <summary>
/// tools/bench/torch_forward.py kept running between timing repeats, so TorchSharp and PyTorch repeats can be
/// interleaved (machine noise then hits both sides alike) without paying Python's start-up for every repeat. The
/// script is idle, blocked on stdin, while the TorchSharp side is being timed.
/// </summary>
internal sealed class PyTorchPeer : IDisposable
{
    public const string ScriptRelativePath = "tools/bench/torch_forward.py";

    private readonly Process _process;

    private PyTorchPeer(Process process, string banner)
    {
        _process = process;
        Banner = banner;
    }

    /// <summary>The script's "ready …" line (PyTorch version and thread count).</summary>
    public string Banner { get; }

    /// <summary>Starts the script and waits until it has written weights (when it made them), input and output.</summary>
    public static PyTorchPeer Start(string python, string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string? line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("ready", StringComparison.Ordinal))
        {
            process.WaitForExit();
            string reason = stderr.Result.Trim();
            process.Dispose();
            throw new InvalidOperationException($"{script} did not start: {line} {reason}");
        }

        return new PyTorchPeer(process, line);
    }

    /// <summary>One timing repeat on the Python side: forward images/s over <paramref name="seconds"/>.</summary>
    public double Time(double seconds)
    {
        _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time {seconds}"));
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("torch_forward.py exited during a repeat.");
        const string prefix = "images_per_s=";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"torch_forward.py: {line}");
        }

        return double.Parse(line.AsSpan(prefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
