using DFLComposite.Engine.Media;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using OpenCvSharp;
using TorchSharp;

namespace DFLComposite.Engine.Diagnostics;

/// <summary>
/// Checks that this machine can run the engine: ffmpeg, the torch and OpenCV native libraries,
/// every model file (presence and sha256), CPU threads, GPU, and the plugin folders.
/// Each failed check carries the command or action that fixes it.
/// </summary>
public static class Doctor
{
    private const string SetupFix = "run ./run.sh setup from the source tree (or scripts/setup.sh)";

    public static IReadOnlyList<DoctorCheck> Run(ModelStore models, PluginCatalog? catalog)
    {
        var checks = new List<DoctorCheck>
        {
            Tool("ffmpeg"),
            Tool("ffprobe"),
            OpenCv(),
        };
        checks.AddRange(Torch());
        checks.Add(new DoctorCheck("cpu threads", CheckStatus.Info, $"{Environment.ProcessorCount} logical processors"));
        checks.AddRange(models.VerifyAll().Select(Model));
        if (catalog is not null)
        {
            checks.Add(new DoctorCheck(
                "plugins",
                catalog.Parts.Count > 0 ? CheckStatus.Ok : CheckStatus.Failed,
                $"{catalog.Parts.Count} part(s) in {catalog.Parts.Select(p => p.SourceAssembly).Distinct().Count()} assembly(ies)",
                catalog.Parts.Count > 0 ? null : $"no parts found: the plugins folder belongs next to dflc, or set {PluginCatalog.PluginPathVariable}"));
            checks.AddRange(catalog.Failures.Select(f =>
                new DoctorCheck("plugin " + Path.GetFileName(f.Path), CheckStatus.Warning, f.Reason, $"remove or rebuild {f.Path}")));
        }

        return checks;
    }

    private static DoctorCheck Tool(string tool)
    {
        string? version = FfmpegTools.Version(tool);
        return version is null
            ? new DoctorCheck(tool, CheckStatus.Failed, "not found on PATH or does not run", $"apt-get install ffmpeg (or {SetupFix})")
            : new DoctorCheck(tool, CheckStatus.Ok, version);
    }

    private static DoctorCheck OpenCv()
    {
        try
        {
            using var mat = new Mat(8, 8, MatType.CV_8UC3, OpenCvSharp.Scalar.All(128));
            Cv2.ImEncode(".png", mat, out byte[] png);
            return new DoctorCheck("opencv", CheckStatus.Ok, $"OpenCV {Cv2.GetVersionString()} (encoded a {png.Length}-byte PNG)");
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return new DoctorCheck("opencv", CheckStatus.Failed, Inner(ex), $"apt-get install libgtk-3-0 (OpenCvSharp's native library needs it), or {SetupFix}");
        }
    }

    private static IEnumerable<DoctorCheck> Torch()
    {
        DoctorCheck torchCheck;
        bool cuda = false;
        try
        {
            using var a = torch.ones(64, 64);
            using var b = a.matmul(a);
            float v = b[0, 0].item<float>();
            cuda = torch.cuda.is_available();
            torchCheck = v == 64f
                ? new DoctorCheck("torch", CheckStatus.Ok, $"libtorch {torch.__version__}, {torch.get_num_threads()} threads, matmul ok")
                : new DoctorCheck("torch", CheckStatus.Failed, $"matmul gave {v}, expected 64", "reinstall: dotnet build (the libtorch package may be damaged)");
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            torchCheck = new DoctorCheck("torch", CheckStatus.Failed, Inner(ex),
                "rebuild with dotnet build: the build marks libLibTorchSharp.so's GLIBCXX_3.4.32 need weak so it loads on Debian 12");
        }

        yield return torchCheck;
        yield return new DoctorCheck("gpu", CheckStatus.Info, cuda ? $"CUDA available ({torch.cuda.device_count()} device(s))" : "no CUDA device: training and inference run on the CPU");
    }

    private static DoctorCheck Model(ModelFileStatus s) => s.State switch
    {
        ModelFileState.Ok => new DoctorCheck("model " + s.File.FileName, CheckStatus.Ok, $"{s.File.Use}, sha256 ok"),
        ModelFileState.Missing => new DoctorCheck("model " + s.File.FileName, CheckStatus.Failed, $"{s.Path} is missing", $"{SetupFix}; it comes from npm {s.File.NpmPackage}"),
        _ => new DoctorCheck("model " + s.File.FileName, CheckStatus.Failed,
            $"{s.Path} has sha256 {s.ActualSha256}, expected {s.File.Sha256}", $"delete {s.Path} and {SetupFix}"),
    };

    private static string Inner(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.Split('\n')[0];
    }
}
