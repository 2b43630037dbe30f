using System.CommandLine;

namespace MetaQap.Cli.Tests;

/// <summary>Runs the real `metaqap` command tree in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await MetaQapCommandLine.Create().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString().Replace("\r", "", StringComparison.Ordinal), error.ToString());
    }
}
