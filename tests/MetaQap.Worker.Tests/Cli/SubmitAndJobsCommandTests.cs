using System.CommandLine;
using MetaQap.Cli.Commands;
using MetaQap.Imaging.Pixels;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Cli;

[Collection(ServicesCollection.Name)]
public sealed class SubmitAndJobsCommandTests
{
    [SkippableFact]
    public async Task Submit_with_wait_prints_every_result_and_the_summary_and_jobs_shows_the_stored_job()
    {
        LocalServices.Require();
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("batch", "nested"));
        for (int i = 0; i < 6; i++)
        {
            string folder = i < 4 ? root.Combine("batch") : root.Combine("batch", "nested");
            File.WriteAllBytes(Path.Combine(folder, $"p{i}.png"), ImageEncoder.EncodePng(SyntheticImages.Content(64, seed: 40 + i)));
        }

        File.WriteAllText(root.Combine("batch", "readme.txt"), "not an image, not submitted");
        File.WriteAllBytes(root.Combine("batch", "broken.jpg"), []);
        await using WorkerHost worker = await WorkerHost.StartAsync(WorkerHost.Settings(root.Path));
        var jobId = Guid.NewGuid();

        (int code, string output, string error) = await RunAsync("submit", "--images", root.Combine("batch"), "--wait", "--timeout", "60", "--job-id", jobId.ToString());

        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"Submitted job {jobId}: 7 images in 1 message(s).", lines[0], StringComparison.Ordinal);
        Assert.Equal(["nested/p4.png", "nested/p5.png", "p0.png", "p1.png", "p2.png", "p3.png"],
            lines.Where(l => l.Contains(".png\t", StringComparison.Ordinal)).Select(l => l.Split('\t')[0]).Order(StringComparer.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("broken.jpg\tfailed\tEmpty", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("completed", StringComparison.Ordinal) && l.Contains("7 images, 6 scored, 1 failed (Empty 1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Scores (test-gradient-sharpness-1): mean", StringComparison.Ordinal));

        (code, output, error) = await RunAsync("jobs", jobId.ToString(), "--results", "--database", LocalServices.PostgresConnectionString!);

        Assert.True(code == 0, error);
        Assert.Contains($"Job {jobId}: Completed", output, StringComparison.Ordinal);
        Assert.Contains("7 recorded of 7 expected; 6 scored, 1 failed, 0 pending", output, StringComparison.Ordinal);
        Assert.Contains("broken.jpg\tfailed\tEmpty", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_of_a_path_that_does_not_exist_is_bad_input()
    {
        (int code, _, string error) = await RunAsync("submit", "--images", "/no/such/folder", "--rabbitmq", "amqp://x:y@127.0.0.1:1/");

        Assert.Equal(3, code);
        Assert.Contains("neither a folder nor a list file", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Jobs_of_an_unknown_id_says_so_and_fails()
    {
        LocalServices.Require();

        (int code, _, string error) = await RunAsync("jobs", Guid.Empty.ToString(), "--database", LocalServices.PostgresConnectionString!);

        Assert.Equal(1, code);
        Assert.Contains("No job", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { SubmitCommand.Create(), JobsCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
