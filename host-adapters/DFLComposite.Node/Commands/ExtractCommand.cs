using System.CommandLine;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Plugins;
using DFLComposite.Faces;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace DFLComposite.Node.Commands;

/// <summary><c>dflc extract</c>: detect, landmark, align and store a faceset.</summary>
internal static class ExtractCommand
{
    public static Command Create()
    {
        var defaults = new ExtractSettings();
        var input = new Option<string[]>("--input", "-i") { Description = "Video(s), image(s) or folder(s), in any mix.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Faceset folder to create.", Required = true };
        var faceType = new Option<string>("--face-type") { Description = "h | mf | f | wf | head.", DefaultValueFactory = _ => defaults.FaceType.ShortName() };
        var size = new Option<int>("--size") { Description = "Aligned face size in pixels.", DefaultValueFactory = _ => defaults.Size };
        var detector = new Option<string>("--detector") { Description = "Face detector plugin (see `dflc plugins`).", DefaultValueFactory = _ => defaults.Detector };
        var landmarker = new Option<string>("--landmarker") { Description = "Landmarker plugin.", DefaultValueFactory = _ => defaults.Landmarker };
        var minFace = new Option<int>("--min-face") { Description = "Skip faces smaller than this many pixels.", DefaultValueFactory = _ => defaults.MinFace };
        var maxFaces = new Option<int>("--max-faces") { Description = "Keep at most this many faces per frame, largest first (0 = all).", DefaultValueFactory = _ => defaults.MaxFaces };
        var every = new Option<int>("--every") { Description = "Use every n-th video frame.", DefaultValueFactory = _ => defaults.Every };
        var fps = new Option<double?>("--fps") { Description = "Use video frames at this rate (original frame numbers are kept)." };
        var jpegQuality = new Option<int>("--jpeg-quality") { Description = "JPEG quality of the face files.", DefaultValueFactory = _ => defaults.JpegQuality };
        var png = new Option<bool>("--png") { Description = "Write lossless PNG face files instead of JPEG." };
        var smooth = new Option<double>("--smooth") { Description = "Temporal landmark smoothing for video (0 = off).", DefaultValueFactory = _ => defaults.Smooth };
        var detectEvery = new Option<int>("--detect-every") { Description = "In video, run the detector every n-th used frame and track faces in between (1 = every frame).", DefaultValueFactory = _ => defaults.DetectEvery };
        var minScore = new Option<float>("--min-score") { Description = "Detector confidence threshold.", DefaultValueFactory = _ => defaults.MinScore };
        var reference = ReferenceOptions.Photos("--reference", "keep");
        var referenceThreshold = ReferenceOptions.Threshold();

        var command = new Command("extract", "Find faces in videos and photos and store them aligned, with their metadata, as a faceset folder. Resumes if interrupted.")
        {
            input, output, faceType, size, detector, landmarker, minFace, maxFaces, every, fps, jpegQuality, png, smooth, detectEvery, minScore,
            reference, referenceThreshold,
        };
        command.SetAction(async (r, ct) =>
        {
            var settings = new ExtractSettings
            {
                FaceType = CliParse.FaceType(r.GetValue(faceType)!),
                Size = r.GetValue(size),
                Detector = r.GetValue(detector)!,
                Landmarker = r.GetValue(landmarker)!,
                MinFace = r.GetValue(minFace),
                MaxFaces = r.GetValue(maxFaces),
                Every = r.GetValue(every),
                Fps = r.GetValue(fps),
                JpegQuality = r.GetValue(jpegQuality),
                Png = r.GetValue(png),
                Smooth = r.GetValue(smooth),
                MinScore = r.GetValue(minScore),
                DetectEvery = r.GetValue(detectEvery),
                References = r.GetValue(reference) is { Length: > 0 } refs ? refs.Select(Path.GetFullPath).ToArray() : null,
                ReferenceThreshold = r.GetValue(referenceThreshold),
            };
            settings.Validate();
            using var loggers = GlobalOptions.LoggerFactory(r);
            using PluginCatalog catalog = GlobalOptions.Catalog(r, loggers);
            IFaceDetector faceDetector = catalog.Create<IFaceDetector>(settings.Detector);
            ILandmarker faceLandmarker = catalog.Create<ILandmarker>(settings.Landmarker);
            ReferenceFilter? person = ReferenceOptions.Filter(catalog, faceDetector, faceLandmarker, settings.References, settings.ReferenceThreshold, settings.MinScore);
            var finder = new FaceFinder(faceDetector, faceLandmarker, settings, person);
            var extractor = new Extractor(finder, settings, loggers.CreateLogger<Extractor>());
            ExtractResult result = await ProgressView.RunAsync("extract", report =>
                extractor.RunAsync(
                    r.GetValue(input)!,
                    r.GetValue(output)!,
                    new InlineProgress<ExtractProgress>(p => report(
                        ((p.SourceNumber - 1) + Math.Min(1.0, (double)p.Frame / Math.Max(1, p.TotalFrames))) / p.SourceCount,
                        $"{Path.GetFileName(p.Source)} frame {p.Frame}/{p.TotalFrames}, {p.Faces} faces")),
                    ct)).ConfigureAwait(false);

            var table = new Table().AddColumns("input", "frames", "with a face", "faces");
            foreach (SourceSummary s in result.Sources)
            {
                table.AddRow(Markup.Escape(s.Path), s.Frames.ToString(), s.Frames == 0 ? "-" : $"{s.FramesWithFaces} ({100.0 * s.FramesWithFaces / s.Frames:F1}%)", s.Faces.ToString());
            }

            AnsiConsole.Write(table);
            foreach (string skip in result.Skipped)
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(skip)}[/]");
            }

            if (person is not null)
            {
                Console.Out.WriteLine(ReferenceOptions.Summary(person, "kept"));
            }

            Console.Out.WriteLine($"Wrote {result.Faces} faces to {result.Output}{(result.Resumed ? " (resumed)" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
