using DFLComposite.Engine.Models;
using DFLComposite.Tests;

namespace DFLComposite.Node.Tests;

public sealed class DflcCliTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Theory]
    [InlineData]
    [InlineData("plugins")]
    [InlineData("doctor")]
    [InlineData("extract")]
    [InlineData("sort")]
    [InlineData("faceset")]
    [InlineData("faceset", "info")]
    [InlineData("faceset", "preview")]
    [InlineData("faceset", "dedupe")]
    [InlineData("faceset", "split")]
    [InlineData("faceset", "import-dfl")]
    [InlineData("train")]
    [InlineData("model", "info")]
    [InlineData("bench", "train")]
    [InlineData("bench", "merge")]
    [InlineData("merge")]
    [InlineData("swap")]
    [InlineData("demo")]
    [InlineData("evaluate")]
    [InlineData("mask")]
    [InlineData("render")]
    public void Every_command_has_help(params string[] command)
    {
        var r = ProcessRunner.Dflc([.. command, "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.StdOut);
        Assert.Contains("--verbose", r.StdOut);
    }

    [Fact]
    public void Plugins_lists_the_built_in_parts_with_version_and_assembly()
    {
        var r = ProcessRunner.Dflc("plugins");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Matches(@"extract\s+.\s+detector\s+.\s+blazeface\s+.\s+1\.0", r.StdOut);
        Assert.Contains("DFLComposite.Plugins.MediaPipe.dll", r.StdOut);
        Assert.Matches(@"extract\s+.\s+landmarker\s+.\s+facemesh", r.StdOut);
        Assert.Matches(@"train\s+.\s+model\s+.\s+saehd", r.StdOut);
        Assert.Matches(@"train\s+.\s+model\s+.\s+quick96", r.StdOut);
        Assert.Matches(@"merge\s+.\s+color\s+.\s+rct", r.StdOut);
    }

    [Fact]
    public void Doctor_passes_on_a_set_up_machine()
    {
        var r = ProcessRunner.Dflc("doctor");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("All checks passed", r.StdOut);
    }

    [Fact]
    public void Doctor_names_a_missing_model_file_and_exits_non_zero()
    {
        string models = CopyModels();
        File.Delete(Path.Combine(models, "face_landmark.tflite"));
        var r = ProcessRunner.Dflc("doctor", "--models", models);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains($"FAILED model face_landmark.tflite: {Path.Combine(models, "face_landmark.tflite")} is missing", r.StdErr);
    }

    [Fact]
    public void Doctor_names_a_model_file_with_a_wrong_checksum_and_exits_non_zero()
    {
        string models = CopyModels();
        string detector = Path.Combine(models, "face_detection_short_range.tflite");
        byte[] bytes = File.ReadAllBytes(detector);
        bytes[1000] ^= 0xff; // one flipped byte
        File.WriteAllBytes(detector, bytes);
        var r = ProcessRunner.Dflc("doctor", "--models", models);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains($"FAILED model face_detection_short_range.tflite: {detector} has sha256", r.StdErr);
    }

    [Fact]
    public void Doctor_reports_the_models_folder_from_the_environment_variable()
    {
        var r = ProcessRunner.Run(TestPaths.Dflc, ["doctor"], new Dictionary<string, string> { ["DFLC_MODELS"] = _temp.Path });
        Assert.Equal(4, r.ExitCode);
        Assert.Contains(Path.Combine(_temp.Path, "face_detection_full_range.tflite"), r.StdErr);
    }

    [Fact]
    public void An_unknown_command_or_option_is_a_usage_error()
    {
        var r = ProcessRunner.Dflc("doctor", "--no-such-option");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--no-such-option", r.StdErr);
    }

    [Fact]
    public void Log_file_receives_the_log()
    {
        string log = _temp.File("dflc.log");
        var r = ProcessRunner.Dflc("plugins", "--log-file", log, "--plugin-path", _temp.File("absent"));
        Assert.True(r.ExitCode == 0, r.All);
        Assert.True(File.Exists(log));
        Assert.Contains("Plugin folder", File.ReadAllText(log)); // debug line about the empty extra folder
    }

    public void Dispose() => _temp.Dispose();

    private string CopyModels()
    {
        string models = Path.Combine(_temp.Path, "models");
        Directory.CreateDirectory(models);
        foreach (ModelFile file in ModelManifest.All)
        {
            File.Copy(Path.Combine(TestPaths.ModelsDirectory, file.FileName), Path.Combine(models, file.FileName));
        }

        return models;
    }
}
