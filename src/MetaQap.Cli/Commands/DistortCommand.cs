using System.CommandLine;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Cli.Commands;

/// <summary>`metaqap distort`: applies one KADID-10k distortion to an image, or lists the 25 types.</summary>
internal static class DistortCommand
{
    public static Command Create()
    {
        var image = new Argument<FileInfo?>("image") { Description = "Input image (JPEG, PNG, WebP, BMP).", Arity = ArgumentArity.ZeroOrOne };
        var type = new Option<string?>("--type") { Description = "Distortion type name (see --list)." };
        var level = new Option<int>("--level") { Description = "Level 1 (mild) to 5 (severe).", DefaultValueFactory = _ => 3 };
        var output = new Option<FileInfo?>("--out") { Description = "Output file (.png, or .jpg for quality-95 JPEG)." };
        var seed = new Option<int>("--seed") { Description = "Seed for the random distortions.", DefaultValueFactory = _ => 0 };
        var list = new Option<bool>("--list") { Description = "Print the 25 type names, one per line, and exit." };

        var command = new Command("distort", "Apply one of the 25 KADID-10k distortions at a level from 1 to 5.")
        {
            image, type, level, output, seed, list,
        };

        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                foreach (DistortionInfo info in DistortionCatalog.All)
                {
                    parse.InvocationConfiguration.Output.WriteLine(info.Name);
                }

                return ExitCodes.Success;
            }

            FileInfo? input = parse.GetValue(image);
            string? typeName = parse.GetValue(type);
            FileInfo? target = parse.GetValue(output);
            int lvl = parse.GetValue(level);
            if (input is null || typeName is null || target is null)
            {
                return ExitCodes.Usage(parse, "distort needs <image>, --type and --out (or --list).");
            }

            if (!DistortionCatalog.TryParse(typeName, out DistortionType distortion))
            {
                return ExitCodes.Usage(parse, $"Unknown distortion type '{typeName}'. Run `metaqap distort --list`.");
            }

            if (lvl is < 1 or > 5)
            {
                return ExitCodes.Usage(parse, $"--level must be 1..5, not {lvl}.");
            }

            RgbImage source;
            try
            {
                source = ImageDecoder.DecodeFile(input.FullName);
            }
            catch (Exception ex) when (ex is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {input.FullName}: {ex.Message}");
                return ExitCodes.InputError;
            }

            RgbImage distorted = Distorter.Apply(source, distortion, lvl, parse.GetValue(seed));
            target.Directory?.Create();
            ImageEncoder.Save(distorted, target.FullName);
            parse.InvocationConfiguration.Output.WriteLine($"{DistortionCatalog.Get(distortion).Name} level {lvl} -> {target.FullName}");
            return ExitCodes.Success;
        });

        return command;
    }
}
