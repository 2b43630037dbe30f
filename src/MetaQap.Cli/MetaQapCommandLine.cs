using System.CommandLine;
using MetaQap.Cli.Commands;

namespace MetaQap.Cli;

/// <summary>The `metaqap` command tree. Each command lives in Commands/ with a static Create().</summary>
internal static class MetaQapCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("MetaQAP Workers: no-reference image quality with the MetaQAP method.");
        root.Subcommands.Add(DistortCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        // `train` fine-tunes here; `train submit|cancel` hand training to the workers over RabbitMQ.
        Command train = TrainCommand.Create();
        train.Subcommands.Add(TrainSubmitCommand.Create());
        train.Subcommands.Add(TrainCancelCommand.Create());
        root.Subcommands.Add(train);
        root.Subcommands.Add(ParityCommand.Create());
        root.Subcommands.Add(ImageNetCommand.Create());
        root.Subcommands.Add(FitMetaCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(RecipeCommand.Create());
        root.Subcommands.Add(AblateCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(PromoteCommand.Create());
        return root;
    }
}
