using System.CommandLine;
using System.Globalization;
using MetaQap.Components.Jobs;
using Npgsql;

namespace MetaQap.Cli.Commands;

/// <summary><c>metaqap jobs &lt;id&gt; [--results]</c>: a job's status (and its images) from PostgreSQL.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var id = new Argument<Guid>("id") { Description = "The job id." };
        var results = new Option<bool>("--results") { Description = "Also list every image's status, score or failure." };
        var database = new DatabaseCliOption();
        var command = new Command("jobs", "Show a scoring job's status from the job store.") { id, results };
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            if (database.Open(parse) is not { } opened)
            {
                return ExitCodes.UsageError;
            }

            await using NpgsqlDataSource dataSource = opened;
            var store = new JobStore(dataSource);
            Guid jobId = parse.GetValue(id);
            JobStatus? job;
            try
            {
                job = await store.GetJobAsync(jobId, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                await error.WriteLineAsync($"Cannot read the job store: {e.Message}");
                return ExitCodes.Failure;
            }

            if (job is null)
            {
                await error.WriteLineAsync($"No job {jobId}.");
                return ExitCodes.Failure;
            }

            await output.WriteLineAsync(Describe(job));
            if (parse.GetValue(results))
            {
                foreach (ImageResult row in await store.GetResultsAsync(jobId, cancellationToken))
                {
                    await output.WriteLineAsync(row.Status switch
                    {
                        "Scored" => string.Create(CultureInfo.InvariantCulture, $"{row.ImageId}\t{row.Score:F2}\t{row.Source}"),
                        "Failed" => $"{row.ImageId}\tfailed\t{row.FailureCode}\t{row.FailureDetail}",
                        _ => $"{row.ImageId}\tpending\t{row.Source}",
                    });
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(JobStatus job)
    {
        string finished = job.CompletedAt is { } done
            ? string.Create(CultureInfo.InvariantCulture, $", completed {done:u} ({(done - job.CreatedAt).TotalSeconds:F1} s)")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"""
            Job {job.Id}: {job.Status}
              images: {job.RecordedImages} recorded of {job.ExpectedImages} expected; {job.ScoredImages} scored, {job.FailedImages} failed, {job.PendingImages} pending
              model: {job.ModelVersion ?? "-"}
              created {job.CreatedAt:u}{finished}
            """);
    }
}
