using System.CommandLine;
using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Training;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap pretrain</c>: quality-aware pretraining on the streamed corpus (pristine photos and/or synthetic
/// content × 25 distortions × 5 levels), content-disjoint validation, early stopping on pseudo-quality SROCC.
/// </summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var common = new TrainingCliOptions(defaultEpochs: 10, defaultLearningRate: 3e-4);
        var pristine = new PristineOptions();
        var validationFraction = new Option<double>("--val-fraction") { Description = "Fraction of pristine contents held out for validation.", DefaultValueFactory = _ => 0.2 };
        var distortionWeight = new Option<double>("--distortion-weight") { Description = "Weight of the distortion-type cross-entropy.", DefaultValueFactory = _ => 1.0 };
        var imageNet = new Option<bool>("--imagenet") { Description = "Start a resnet18_cntk* backbone from the ImageNet weights of the NuGet package (converted on first use)." };

        var command = new Command("pretrain", "Pretrain a base model on the quality-aware corpus (pseudo-quality + distortion type).")
        {
            validationFraction, distortionWeight, imageNet,
        };
        pristine.AddTo(command);
        common.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            IPristineSource? source = pristine.Create(parse, common.Seed(parse), out string? error);
            if (source is null)
            {
                return ExitCodes.Usage(parse, error!);
            }

            PretrainingOptions options;
            try
            {
                TrainingOptions training = common.Build(parse);
                if (parse.GetValue(imageNet) && !ImageNetNormalization.IsCntk(training.Architecture))
                {
                    return ExitCodes.Usage(parse, "--imagenet needs --arch resnet18_cntk, resnet18_cntk_ms or resnet18_cntk_blocks.");
                }

                options = new PretrainingOptions
                {
                    Training = training,
                    ValidationFraction = parse.GetValue(validationFraction),
                    DistortionLossWeight = parse.GetValue(distortionWeight),
                    InitialBackboneWeights = parse.GetValue(imageNet) ? ImageNetPackage.EnsureConverted() : null,
                };
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                return ExitCodes.Usage(parse, ex.Message);
            }
            catch (ImageNetWeightsException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InputError;
            }

            // Corpus samples are made at the input size, so pretraining sees whole distorted crops (flips only).
            var corpus = new QualityAwareCorpus(source, new QualityAwareCorpusOptions { Size = options.Training.InputSize!.Value, Seed = common.Seed(parse) });
            return await TrainingConsole.RunAsync(parse, common, (progress, ct) =>
                new Pretrainer(corpus, options).Run(common.Output(parse), common.Resume(parse), progress, ct), cancellationToken);
        });

        return command;
    }
}
