using System.Diagnostics;
using System.Globalization;
using DFLComposite.Engine.Evaluate;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.IO;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Training;
using DFLComposite.Media;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace DFLComposite.Engine.Jobs;

/// <summary>Where the demo put its results, and what its own evaluation says of them.</summary>
/// <param name="Verdict">The evaluation's verdict on <see cref="Result"/>.</param>
/// <param name="Report">The evaluation's index.html.</param>
/// <param name="NextStep">What to do next, for this verdict and this demo.</param>
public sealed record DemoResult(string Folder, string Result, string BeforeAfter, string Preview, string LossPlot, long Iterations, QualityVerdict Verdict, string Report, string NextStep);

/// <summary>
/// <c>dflc demo</c>: a whole swap on the example photos set-up fetches (face-api's demo samples from npm). src is the
/// largest face of a group photo; dst is a 4-second clip made from another group photo with a slow zoom, so the
/// merge has motion to follow. A small 64-px SAEHD df model trains for the given minutes; re-running resumes.
/// </summary>
public sealed class DemoJob(JobContext context)
{
    public const string SrcPhoto = "sample2.jpg";
    public const string DstPhoto = "sample6.jpg";

    /// <summary><c>DFLC_EXAMPLES</c>, else <c>~/.cache/dflcomposite/examples</c> (filled by <c>./run.sh setup</c>).</summary>
    public static string ExamplesDirectory() => Environment.GetEnvironmentVariable("DFLC_EXAMPLES") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dflcomposite", "examples");

    /// <summary><c>DFLC_DEMO</c>, else <c>~/dflcomposite-demo</c>.</summary>
    public static string DefaultOutput() => Environment.GetEnvironmentVariable("DFLC_DEMO") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "dflcomposite-demo");

    /// <summary>The demo's model: DeepFaceLab's SAEHD df at 64 px with small dims, which learns a face in minutes on a CPU.</summary>
    public static SwapModelChoice Model { get; } = new() { Model = "saehd", Archi = "df", Resolution = 64, AeDims = 128, EDims = 32, DDims = 32, DMaskDims = 16 };

    /// <summary>The swap job the demo runs on its examples (src: the largest face of one photo; dst: a clip made from another).</summary>
    public static SwapJob Job(string examples, string folder, double minutes, long iterations) => new()
    {
        Src = [Path.Combine(examples, SrcPhoto)], Dst = Path.Combine(folder, "dst.mp4"), Output = Path.Combine(folder, "result.mp4"), Workspace = folder,
        Model = Model, SrcMaxFaces = 1, DstEvery = 2, Extract = new Extract.ExtractSettings { Size = 256 },
        Train = new TrainSettings { MaxMinutes = minutes, MaxIterations = iterations, LearningRate = 2e-4, PreviewEvery = 50, ReportEvery = 25, SaveEveryMinutes = 1 },
    };

    public async Task<DemoResult> RunAsync(string examples, string folder, double minutes, long iterations, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        string src = Path.Combine(examples, SrcPhoto), photo = Path.Combine(examples, DstPhoto);
        foreach (string f in new[] { src, photo })
        {
            if (!File.Exists(f))
            {
                // set-up fetches the examples like the model files, so a missing one is incomplete set-up (exit 4)
                throw new Models.ModelFileException($"Example {f} is missing. Run ./run.sh setup (it fetches the examples), or point DFLC_EXAMPLES at a folder with {SrcPhoto} and {DstPhoto}.");
            }
        }

        Directory.CreateDirectory(folder);
        SwapJob job = Job(examples, folder, minutes, iterations);
        string dst = job.Dst;
        if (!File.Exists(dst))
        {
            progress?.Report(new JobProgress("prepare", 0, $"making a 4-second clip from {DstPhoto}"));
            await MakeClipAsync(photo, dst, ct).ConfigureAwait(false);
        }

        await new JobRunner(context).RunAsync(job, progress, ct).ConfigureAwait(false);
        string result = job.Output;

        string beforeAfter = Path.Combine(folder, "before-after.png");
        await BeforeAfterAsync(dst, result, frame: 50, beforeAfter, ct).ConfigureAwait(false);
        string model = Path.Combine(folder, "model");
        string reportFolder = Path.Combine(folder, "report");
        EvaluationReport report = await EvaluateAsync(model, Path.Combine(folder, "src-faces"), dst, result, reportFolder, progress, ct).ConfigureAwait(false);
        return new DemoResult(folder, result, beforeAfter, Path.Combine(model, Trainer.PreviewFile), Path.Combine(model, Trainer.LossPlotFile), report.Iteration,
            report.Verdict, Path.Combine(reportFolder, ReportWriter.HtmlFile), NextStep(report.Verdict, minutes));
    }

    /// <summary>
    /// The next step for a verdict on the demo. Its src is one photo (one face), so once the face is a face, more
    /// minutes help less than more pictures of the src person.
    /// </summary>
    public static string NextStep(QualityVerdict verdict, double minutes) => verdict.Level switch
    {
        QualityLevel.NotAFace => string.Create(CultureInfo.InvariantCulture, $"Train longer: dflc demo --minutes {Math.Max(10, Math.Ceiling(minutes * 3))} (it continues from the saved model)."),
        QualityLevel.Face => "Train longer (dflc demo --minutes 20 continues from the saved model); the demo's src is a single photo, so for a src identity that holds, swap with a src of many faces: dflc swap --src <clips or photos of one person>...",
        _ => "The swap holds; for more frames that hold, train on (dflc demo --minutes N continues) or give the src more faces with dflc swap.",
    };

    // The demo judges its own result.mp4 (no second merge): the src faces it trained on against the dst clip.
    private async Task<EvaluationReport> EvaluateAsync(string model, string srcFaces, string dst, string result, string reportFolder, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        FaceFinder finder = FaceFinders.ForExtract(context.Catalog, new ExtractSettings());
        using SwapModelRunner runner = SwapModelRunner.Load(model, context.Catalog);
        var evaluator = new SwapEvaluator(finder, context.Catalog.Create<IFaceEmbedder>("facerec"), null, context.Loggers.CreateLogger<SwapEvaluator>());
        EvaluationReport report = await evaluator.RunOnMergedAsync(model, runner, FaceSet.Open(srcFaces), dst, result,
            new InlineProgress<EvaluateProgress>(p => progress?.Report(new JobProgress("evaluate", p.Fraction, p.Stage))), ct).ConfigureAwait(false);
        await ReportWriter.WriteAsync(report, reportFolder, finder, ct).ConfigureAwait(false);
        return report;
    }

    private static async Task MakeClipAsync(string photo, string output, CancellationToken ct)
    {
        string ffmpeg = FfmpegTools.Find("ffmpeg") ?? throw new UserErrorException("ffmpeg is not on PATH; run ./run.sh setup (it installs it with apt).");
        string temp = output + ".tmp.mp4";
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[]
        {
            "-loglevel", "error", "-y", "-loop", "1", "-i", photo,
            "-vf", "scale=1280:-2,zoompan=z='1+0.0012*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=100:s=960x720:fps=25",
            "-frames:v", "100", "-c:v", "libx264", "-pix_fmt", "yuv420p", temp,
        })
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        string errors;
        try
        {
            errors = await p.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: leave neither ffmpeg nor a half-written clip behind
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            File.Delete(temp);
            throw;
        }

        if (p.ExitCode != 0)
        {
            File.Delete(temp);
            throw new MediaException($"ffmpeg could not make the demo clip from {photo}: {errors.Trim()}");
        }

        File.Move(temp, output, overwrite: true);
    }

    private static async Task BeforeAfterAsync(string before, string after, long frame, string output, CancellationToken ct)
    {
        using Mat a = await FrameAsync(before, frame, ct).ConfigureAwait(false), b = await FrameAsync(after, frame, ct).ConfigureAwait(false);
        using var both = new Mat();
        Cv2.HConcat([a, b], both);
        Cv2.ImEncode(".png", both, out byte[] png);
        AtomicFile.WriteAllBytes(output, png);
    }

    private static async Task<Mat> FrameAsync(string video, long frame, CancellationToken ct)
    {
        await foreach ((long index, ImageFrame f) in VideoReader.ReadFrames(video, cancellationToken: ct).ConfigureAwait(false))
        {
            if (index == frame)
            {
                using Mat view = f.AsMat();
                return view.Clone();
            }
        }

        throw new MediaException($"{video} has fewer than {frame + 1} frames.");
    }
}
