using Spectre.Console;

namespace MetaQap.Cli.Terminal;

/// <summary>A progress bar for long commands (plain periodic lines when output is redirected, as in CI logs).</summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(string description, long total, Func<IProgress<long>, Task<T>> work)
    {
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(description, maxValue: total);
                var progress = new Progress<long>(done => task.Value = done);
                result = await work(progress).ConfigureAwait(false);
                task.Value = total;
            }).ConfigureAwait(false);
        return result;
    }
}
