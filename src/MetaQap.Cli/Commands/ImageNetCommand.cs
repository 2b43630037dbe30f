using System.CommandLine;
using System.Globalization;
using MetaQap.Cli.Terminal;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Cli.Commands;

/// <summary>
/// `metaqap imagenet import`: converts the ImageNet ResNet of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18
/// to safetensors (resnet18_cntk's state dict, the source's sha256 in its metadata). `metaqap imagenet features`:
/// the frozen trunk's multi-level block statistics of a dataset, one row per image, for analysis outside the recipes.
/// </summary>
internal static class ImageNetCommand
{
    public static Command Create()
    {
        var command = new Command("imagenet", "The ImageNet ResNet (resnet18_cntk) from its NuGet package.");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Features());
        command.Subcommands.Add(Bench());
        return command;
    }

    // Large enough that the product is compute-bound (6 MB of operands per 2.1 GFLOP), small enough for a quick window.
    private const int CeilingMatrixSide = 1024;

    private static Command Bench()
    {
        var sizes = new Option<int[]>("--size") { Description = "Square input sides.", DefaultValueFactory = _ => [224, 320, 384, 512], AllowMultipleArgumentsPerToken = true };
        var batches = new Option<int[]>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => [1, 8], AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per case.", DefaultValueFactory = _ => 10 };
        var command = new Command("bench", "Forward images/s of the frozen resnet18_cntk trunk (BatchNorm folded) per input side and batch, and its GFLOP/s against a matrix product's.")
        {
            sizes, batches, threads, seconds,
        };
        command.SetAction(parse =>
        {
            try
            {
                NativeHeap.RetainFreedMemory();
                set_num_threads(parse.GetValue(threads));
                using ResNetCntk trunk = LoadTrunk();
                TextWriter o = parse.InvocationConfiguration.Output;
                var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
                double ceiling = BackboneThroughput.MatmulGflops(CeilingMatrixSide, duration, windows: 10);
                o.WriteLine($"resnet18_cntk, folded, {get_num_threads()} threads; best of 10 windows");
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ceiling: float32 {CeilingMatrixSide}x{CeilingMatrixSide} matrix product {ceiling:F1} GFLOP/s"));
                foreach (int size in parse.GetValue(sizes)!)
                {
                    foreach (int batch in parse.GetValue(batches)!)
                    {
                        double rate = BackboneThroughput.Measure(trunk, batch, size, duration, windows: 10);
                        double gmac = ResNetCntk.MultiplyAccumulates(size, size) / 1e9;
                        double gflops = 2 * gmac * rate;
                        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{size,4} px  batch {batch,2}  {rate,7:F2} images/s  {gmac,6:F2} GMAC/image  {gflops,6:F1} GFLOP/s ({gflops / ceiling:F2} of the ceiling)"));
                    }
                }

                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ImageNetWeightsException or IOException or InvalidDataException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });
        return command;
    }

    private static Command Import()
    {
        var onnx = new Option<FileInfo?>("--onnx") { Description = $"The package's ResNet18.onnx (default: found in the restored package {ImageNetPackage.PackageId} {ImageNetPackage.PackageVersion})." };
        var output = new Option<FileInfo?>("--out") { Description = $"Safetensors file to write (default: {ImageNetPackage.ConvertedFileName} in {ImageNetPackage.DefaultCacheDirectory})." };
        var command = new Command("import", "Convert the package's ONNX weights to safetensors, verified by sha256.") { onnx, output };
        command.SetAction(parse =>
        {
            try
            {
                string source = ImageNetPackage.LocateOnnx(parse.GetValue(onnx)?.FullName);
                string target = parse.GetValue(output)?.FullName ?? Path.Combine(ImageNetPackage.DefaultCacheDirectory, ImageNetPackage.ConvertedFileName);
                string sha = ImageNetPackage.Convert(source, target);
                TextWriter o = parse.InvocationConfiguration.Output;
                o.WriteLine($"source   {source}");
                o.WriteLine($"sha256   {ImageNetPackage.OnnxSha256}");
                o.WriteLine($"weights  {target}");
                o.WriteLine($"sha256   {sha}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ImageNetWeightsException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });
        return command;
    }

    private static Command Features()
    {
        var dataset = new Option<string>("--dataset") { Description = "MOS dataset folder or manifest.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Safetensors file: 'features' [N, 4992], 'mos' [N]; image ids in the metadata.", Required = true };
        var inputSize = new Option<int>("--input-size") { Description = "Square input side.", DefaultValueFactory = _ => 512 };
        var viewSide = new Option<int?>("--view-side") { Description = "Images with a longer shorter side are scaled down to it first (default: the input size)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N images." };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: torch's default).", DefaultValueFactory = _ => 0 };
        var command = new Command("features", "Frozen resnet18_cntk block statistics of every image of a dataset.")
        {
            dataset, output, inputSize, viewSide, limit, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            int size = parse.GetValue(inputSize);
            int view = parse.GetValue(viewSide) ?? size;
            if (size < ResNetCntk.SideMultiple || view < size)
            {
                return ExitCodes.Usage(parse, $"--input-size must be at least {ResNetCntk.SideMultiple} and --view-side at least the input size.");
            }

            try
            {
                NativeHeap.RetainFreedMemory();
                if (parse.GetValue(threads) is > 0 and int t)
                {
                    set_num_threads(t);
                }

                Dataset data = DatasetReader.Read(parse.GetValue(dataset)!, new DatasetReadOptions { Limit = parse.GetValue(limit) });
                using ResNetCntk trunk = LoadTrunk();
                var extractor = new TrunkFeatureExtractor(trunk);
                float[][] rows = await ProgressDisplay.RunAsync($"features {data.Name}", data.Items.Count, progress =>
                    Task.Run(() => extractor.Extract(data.Items, size, view, progress: new Progress<int>(d => progress.Report(d)), cancellationToken: cancellationToken),
                        cancellationToken));
                Save(parse.GetValue(output)!.FullName, data, rows, size, view);
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{rows.Length} images x {BlockFeatureLayout.Width} features -> {parse.GetValue(output)!.FullName}"));
                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is ImageNetWeightsException or ImageDecodeException or DatasetFormatException or IOException or InvalidDataException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });
        return command;
    }

    private static ResNetCntk LoadTrunk() => ImageNetTrunk.LoadFrozen(ImageNetPackage.EnsureConverted());

    private static void Save(string path, Dataset data, float[][] rows, int size, int view)
    {
        int width = BlockFeatureLayout.Width;
        var flat = new float[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(flat, i * width);
        }

        using var features = tensor(flat, [rows.Length, width]);
        using var mos = tensor(data.Items.Select(item => (float)item.Mos).ToArray());
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["features"] = features, ["mos"] = mos }, new Dictionary<string, string>
        {
            ["ids"] = System.Text.Json.JsonSerializer.Serialize(data.Items.Select(item => item.ImageId).ToArray()),
            ["contents"] = System.Text.Json.JsonSerializer.Serialize(data.Items.Select(item => item.ContentGroup).ToArray()),
            ["input_size"] = size.ToString(CultureInfo.InvariantCulture),
            ["view_side"] = view.ToString(CultureInfo.InvariantCulture),
        });
    }
}
