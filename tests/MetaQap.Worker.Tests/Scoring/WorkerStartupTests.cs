using MetaQap.Components.Registry;
using MetaQap.Components.Scoring;
using MetaQap.Components.Sources;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Tests.Scoring;

/// <summary>Start-up refuses to run without a usable model or with bad settings, and says why. No services needed.</summary>
[Collection(ServicesCollection.Name)]
public sealed class WorkerStartupTests
{
    [Fact]
    public async Task Start_up_fails_naming_the_folder_when_the_model_folder_does_not_exist()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"metaqap-no-model-{Guid.NewGuid():N}");
        WebApplication app = BuildWithoutTestScorer(missing);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => app.StartAsync());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Start_up_fails_when_the_model_folder_has_no_manifest()
    {
        using var folder = new TempFolder();
        WebApplication app = BuildWithoutTestScorer(folder.Path);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => app.StartAsync());

        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Start_up_fails_with_the_artifact_problem_when_the_manifest_is_damaged()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Combine("manifest.json"), "{ \"format_version\": 99 }");
        WebApplication app = BuildWithoutTestScorer(folder.Path);

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => app.StartAsync());

        Assert.Contains("cannot be used", error.Message, StringComparison.Ordinal);
        Assert.IsType<MetaQap.Modeling.Artifacts.ArtifactException>(error.InnerException);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Start_up_fails_when_the_broker_uri_is_not_amqp()
    {
        using var folder = new TempFolder();
        Dictionary<string, string?> settings = Settings(folder.Path);
        settings["MetaQap:RabbitMq:Uri"] = "http://127.0.0.1:5672/";

        // Resolving the bus (when /healthz is mapped, or at the latest on start) validates the options.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains("MetaQap:RabbitMq:Uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_when_a_file_root_does_not_exist()
    {
        Dictionary<string, string?> settings = Settings(Path.Combine(Path.GetTempPath(), $"metaqap-no-root-{Guid.NewGuid():N}"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains("FileRoots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_when_no_role_is_switched_on()
    {
        using var folder = new TempFolder();
        Dictionary<string, string?> settings = Settings(folder.Path);
        settings["MetaQap:Roles:Scoring"] = "false";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains("MetaQap:Roles", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_when_the_training_role_has_no_model_store()
    {
        using var folder = new TempFolder();
        Dictionary<string, string?> settings = Settings(folder.Path);
        settings["MetaQap:Roles:Training"] = "true";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains("MetaQap:Registry:ModelStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_when_the_lease_renewal_is_not_shorter_than_the_lease()
    {
        using var folder = new TempFolder();
        Dictionary<string, string?> settings = Settings(folder.Path);
        settings["MetaQap:Roles:Training"] = "true";
        settings["MetaQap:Registry:ModelStore"] = folder.Path;
        settings["MetaQap:Training:LeaseDuration"] = "00:00:10";
        settings["MetaQap:Training:LeaseRenewal"] = "00:00:10";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(settings));

        Assert.Contains("LeaseRenewal", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(string root) => new()
    {
        // Never contacted: these tests stop before the bus or the database start.
        ["MetaQap:RabbitMq:Uri"] = "amqp://nobody:nothing@127.0.0.1:1/",
        ["MetaQap:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
        ["MetaQap:Model:Path"] = root,
        ["MetaQap:Sources:FileRoots:0"] = root,
        ["MetaQap:Telemetry:Port"] = "0",
    };

    private static async Task BuildAndStartAsync(Dictionary<string, string?> settings)
    {
        await using WebApplication app = WorkerHost.Build(settings);
        await app.StartAsync();
    }

    private static WebApplication BuildWithoutTestScorer(string modelPath)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(Path.GetTempPath()));
        builder.Configuration.AddInMemoryCollection([new("MetaQap:Model:Path", modelPath)]);
        builder.Logging.SetMinimumLevel(LogLevel.None);
        builder.AddMetaQapWorker();
        return builder.Build();
    }
}
