using System.Text.Json;
using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Merge;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Evaluate;

[Collection("training")]
public sealed class EvaluatorTests(TrainingFixture data, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public async Task Evaluating_a_tiny_model_on_a_clip_writes_report_json_and_an_html_page()
    {
        string dst = TestPaths.Media("video/d0.mp4");
        string ws = TinyModel.Get(data), folder = _temp.File("report");
        using SwapModelRunner model = SwapModelRunner.Load(ws, BuiltInPlugins.Catalog);
        FaceFinder finder = Extraction.Finder(new ExtractSettings());
        var evaluator = new SwapEvaluator(finder, BuiltInPlugins.Catalog.Create<IFaceEmbedder>("facerec"), BuiltInPlugins.Catalog.Create<IColorTransfer>("rct"), NullLogger.Instance);
        EvaluationReport report = await evaluator.RunAsync(ws, model, data.Src, dst, folder, null, CancellationToken.None);
        await ReportWriter.WriteAsync(report, folder, finder, CancellationToken.None);

        output.WriteLine(JsonSerializer.Serialize(report with { Frames = [] }, ReportWriter.Json));
        Assert.Equal(78, report.FramesEvaluated);

        // tens of iterations make a mosaic-textured oval, not a face: the verdict must say so, and say why, whatever the
        // identity distance is (the oval's descriptor sits near the src mean's)
        Assert.Equal(QualityLevel.NotAFace, report.Verdict.Level);
        Assert.True(report.Quality.ValidFraction < report.Verdict.Thresholds.MinValidFraction || report.Quality.MedianSharpness < report.Verdict.Thresholds.MinSharpness,
            $"valid {report.Quality.ValidFraction:P0}, sharpness {report.Quality.MedianSharpness:F3}");
        Assert.Contains(report.Quality.ValidFraction < report.Verdict.Thresholds.MinValidFraction ? "found as a face" : "sharpness", report.Verdict.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(report.Worst.NotAFace.Concat(report.Worst.Blurred));
        Assert.Equal(["src", "dst"], report.Reconstruction.Select(r => r.Side));
        Assert.All(report.Reconstruction, r => Assert.InRange(r.Ssim, 0.05, 1));
        // pose and landmark fidelity need the swapped face's own mesh: only frames where the face check found one count
        Assert.Equal(report.Frames.Any(f => f.LandmarkError is not null), report.Fidelity is not null);
        Assert.All(report.Frames.Where(f => f.LandmarkError is not null), f => Assert.InRange(f.LandmarkError!.Value, 0, 5));
        Assert.InRange(report.Identity!.SwappedToSrc, 0.05, 1.5);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ReportWriter.JsonFile)));
        Assert.Equal(report.FramesEvaluated, json.RootElement.GetProperty("framesEvaluated").GetInt32());
        Assert.Equal(report.FramesEvaluated, json.RootElement.GetProperty("frames").GetArrayLength());
        Assert.Equal("verdict", json.RootElement.EnumerateObject().First().Name);
        Assert.Equal(QualityLevel.NotAFace, json.RootElement.GetProperty("verdict").GetProperty("level").GetString());
        string html = File.ReadAllText(Path.Combine(folder, ReportWriter.HtmlFile));
        Assert.True(html.IndexOf("id=\"verdict\"", StringComparison.Ordinal) < html.IndexOf("<h1>", StringComparison.Ordinal), "the verdict comes first");
        Assert.Contains(report.Worst.NotAFace.Count > 0 ? "Not found as a face" : "Least sharp", html, StringComparison.Ordinal);
        Assert.Contains("identity.png", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "quality.png")));
        Assert.Contains("worst-", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "identity.png")));
        Assert.Equal(report.Fidelity is not null, File.Exists(Path.Combine(folder, "fidelity.png")));
        Assert.NotEmpty(Directory.GetFiles(folder, "worst-*.png"));
    }

    [SkippableFact]
    public async Task Evaluating_against_a_dst_faceset_measures_reconstruction_and_identity_of_swapped_crops()
    {
        string ws = TinyModel.Get(data);
        using SwapModelRunner model = SwapModelRunner.Load(ws, BuiltInPlugins.Catalog);
        var evaluator = new SwapEvaluator(Extraction.Finder(new ExtractSettings()), BuiltInPlugins.Catalog.Create<IFaceEmbedder>("facerec"), null, NullLogger.Instance);
        EvaluationReport report = await evaluator.RunAsync(ws, model, data.Src, data.Dst.Directory, _temp.File("report2"), null, CancellationToken.None);
        output.WriteLine($"faceset dst: {report.FramesEvaluated} faces; swapped->src {report.Identity!.SwappedToSrc:F3}, swapped->dst {report.Identity.SwappedToDst:F3}; SSIM {string.Join(", ", report.Reconstruction.Select(r => $"{r.Side} {r.Ssim:F3}"))}");
        Assert.Equal(Math.Min(64, data.Dst.Faces.Count), report.FramesEvaluated);
        Assert.Equal(["src", "dst"], report.Reconstruction.Select(r => r.Side));
        Assert.Null(report.Temporal);
        Assert.All(report.Frames, f => Assert.InRange(f.SrcDistance, 0.01, 2));
    }

    [SkippableFact]
    public async Task The_dst_pasted_back_by_a_pass_through_network_is_a_valid_sharp_face_still_verified_as_dst()
    {
        string dst = TestPaths.Media("video/d0.mp4");
        using var network = new PassThroughNetwork();
        var options = new Engine.Training.SwapModelOptions { Model = "pass-through", Archi = "none", Resolution = 128, FaceType = Faces.FaceType.Full };
        using SwapModelRunner model = SwapModelRunner.FromNetwork(options, network);
        FaceFinder finder = Extraction.Finder(new ExtractSettings());
        var merge = new MergeSettings { Mode = "raw-rgb", Color = MergeSettings.NoColor };
        var evaluator = new SwapEvaluator(finder, BuiltInPlugins.Catalog.Create<IFaceEmbedder>("facerec"), null, NullLogger.Instance, merge);
        EvaluationReport report = await evaluator.RunAsync("pass-through", 0, model, data.Src, dst, _temp.File("same"), null, CancellationToken.None);

        QualityFigures q = report.Quality;
        output.WriteLine($"pass-through: {report.Verdict}; valid {q.ValidFraction:P1}, median sharpness {q.MedianSharpness:F3}, as dst {q.VerifiedAsDst:P1}, as src {q.VerifiedAsSrc:P1}, original as src {q.OriginalVerifiedAsSrc:P1}, landmark error {report.Fidelity?.LandmarkError:F3}");
        Assert.Equal(78, report.FramesEvaluated);
        Assert.InRange(q.ValidFraction, 0.98, 1);
        Assert.InRange(q.MedianSharpness!.Value, 0.85, 1.15);
        Assert.InRange(q.VerifiedAsDst, 0.98, 1);
        Assert.Equal(0, q.VerifiedAsSrc);
        Assert.Equal(QualityLevel.Face, report.Verdict.Level);
    }

    public void Dispose() => _temp.Dispose();
}
