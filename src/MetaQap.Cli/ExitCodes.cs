using System.CommandLine;
using System.CommandLine.Parsing;

namespace MetaQap.Cli;

/// <summary>Process exit codes shared by every command (documented in the README).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int InputError = 3;

    /// <summary>With --wait: the run ended with TrainingFailed (cancelled included), or the promotion was rejected.</summary>
    public const int RunFailed = 4;

    /// <summary>With --wait: no outcome within --timeout; the run or promotion may still finish.</summary>
    public const int TimedOut = 5;

    public const int Cancelled = 130;

    public static int Usage(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        parse.InvocationConfiguration.Error.WriteLine($"Run `metaqap {CommandPath(parse.CommandResult)} --help` for usage.");
        return UsageError;
    }

    /// <summary>The words after `metaqap` that name the command, e.g. "train submit pretrain".</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (CommandResult? c = command; c is { Parent: not null }; c = c.Parent as CommandResult)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(' ', names);
    }
}
