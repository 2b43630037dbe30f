using System.CommandLine;

namespace MetaQap.Cli;

/// <summary>Process exit codes shared by every command (documented in the README).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int InputError = 3;
    public const int Cancelled = 130;

    public static int Usage(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        parse.InvocationConfiguration.Error.WriteLine($"Run `metaqap {parse.CommandResult.Command.Name} --help` for usage.");
        return UsageError;
    }
}
