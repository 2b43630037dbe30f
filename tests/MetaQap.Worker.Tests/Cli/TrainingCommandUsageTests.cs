namespace MetaQap.Worker.Tests.Cli;

/// <summary>What `train submit` can check itself is a usage error (exit 2) before any broker is contacted.</summary>
public sealed class TrainingCommandUsageTests
{
    // Nothing listens on port 1: a command that got as far as connecting would fail with 1, not 2.
    private const string NoBroker = "amqp://x:y@127.0.0.1:1/";
    private const string AModel = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Theory]
    [InlineData("--fold 3/2", "--fold '3/2' is not k/K")]
    [InlineData("--fold 1/1", "--fold '1/1' is not k/K")]
    [InlineData("--fold one/5", "--fold 'one/5' is not k/K")]
    [InlineData("--batch-size 1", "--batch-size must be at least 2")]
    [InlineData("--epochs 0", "--epochs must be at least 1")]
    [InlineData("--lr -0.1", "--lr must be a positive number")]
    [InlineData("--size 16", "--size must be at least 32")]
    [InlineData("--mse-weight 0 --srocc-weight 0", "cannot both be 0")]
    [InlineData("--run-id 00000000-0000-0000-0000-000000000000", "--run-id must not be the empty id")]
    public async Task Train_submit_refuses_a_request_that_is_out_of_range(string options, string expected)
    {
        (int code, string output, string error) = await TrainingCli.RunAsync(
            ["train", "submit", "train", "--arch", "resnet10_w32", "--dataset", "/data/koniq", "--rabbitmq", NoBroker, .. options.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Run `metaqap train submit train --help`", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("", "give the MOS dataset")]
    [InlineData("--dataset /data/a --manifest file:///data/a/mos.csv", "not both")]
    public async Task Train_submit_train_needs_exactly_one_dataset(string options, string expected)
    {
        (int code, _, string error) = await TrainingCli.RunAsync(
            ["train", "submit", "train", "--arch", "resnet10_w32", "--rabbitmq", NoBroker, .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dataset /data/a", "give at least one --model")]
    [InlineData($"--model {AModel} --model {AModel} --dataset /data/a", "each --model may be given once")]
    [InlineData($"--model {AModel} --method median --dataset /data/a", "unknown --method 'median'")]
    [InlineData($"--model {AModel}", "give the MOS dataset")]
    [InlineData($"--model {AModel} --method stepwise", "give the MOS dataset")]
    public async Task Train_submit_fit_meta_refuses_a_request_it_can_tell_is_wrong(string options, string expected)
    {
        (int code, _, string error) = await TrainingCli.RunAsync(
            ["train", "submit", "fit-meta", "--rabbitmq", NoBroker, .. options.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_submit_pretrain_needs_an_architecture()
    {
        (int code, _, string error) = await TrainingCli.RunAsync("train", "submit", "pretrain", "--rabbitmq", NoBroker);

        Assert.NotEqual(0, code);
        Assert.Contains("--arch", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs", "--limit", "0")]
    [InlineData("models", "--limit", "0")]
    public async Task Listing_commands_refuse_a_limit_below_one(params string[] args)
    {
        (int code, _, string error) = await TrainingCli.RunAsync([.. args, "--database", "Host=127.0.0.1;Port=1"]);

        Assert.Equal(2, code);
        Assert.Contains("--limit must be at least 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_with_a_malformed_connection_string_is_a_usage_error()
    {
        (int code, _, string error) = await TrainingCli.RunAsync("runs", "--database", "Host=127.0.0.1;NoSuchKeyword=1");

        Assert.Equal(2, code);
        Assert.Contains("Bad --database connection string", error, StringComparison.Ordinal);
    }
}
