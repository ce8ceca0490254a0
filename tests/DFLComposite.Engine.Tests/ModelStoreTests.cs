using DFLComposite.Engine.Diagnostics;
using DFLComposite.Engine.Models;
using DFLComposite.Tests;

namespace DFLComposite.Engine.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void The_engine_manifest_and_the_setup_script_list_the_same_files_and_checksums()
    {
        var script = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "scripts", "models.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToDictionary(c => c[0], c => (Package: c[1], Sha: c[5]));
        Assert.Equal(ModelManifest.All.Count, script.Count);
        foreach (ModelFile file in ModelManifest.All)
        {
            Assert.Equal(script[file.FileName], (file.NpmPackage, file.Sha256));
        }
    }

    [Fact]
    public void Verify_reports_missing_and_altered_files_by_name()
    {
        ModelFile detector = ModelManifest.All[0];
        var store = new ModelStore(_temp.Path);
        Assert.Equal(ModelFileState.Missing, store.Verify(detector).State);

        File.WriteAllText(store.PathOf(detector.FileName), "not a model");
        ModelFileStatus status = store.Verify(detector);
        Assert.Equal(ModelFileState.ChecksumMismatch, status.State);
        Assert.Equal(ModelStore.Sha256Of(store.PathOf(detector.FileName)), status.ActualSha256);

        var ex = Assert.Throws<ModelFileException>(() => store.Require("face_landmark.tflite"));
        Assert.Contains(Path.Combine(_temp.Path, "face_landmark.tflite"), ex.Message);
    }

    [Fact]
    public void Doctor_fails_each_bad_model_with_its_path_and_a_fix()
    {
        var store = new ModelStore(_temp.Path);
        File.WriteAllText(store.PathOf("face_landmark.tflite"), "tampered");
        var checks = Doctor.Run(store, catalog: null);

        DoctorCheck mesh = Assert.Single(checks, c => c.Name == "model face_landmark.tflite");
        Assert.Equal(CheckStatus.Failed, mesh.Status);
        Assert.Contains("sha256", mesh.Detail);
        Assert.Contains(store.PathOf("face_landmark.tflite"), mesh.Fix);
        DoctorCheck missing = Assert.Single(checks, c => c.Name == "model selfie_segmentation.tflite");
        Assert.Equal(CheckStatus.Failed, missing.Status);
        Assert.Contains("missing", missing.Detail);
        Assert.False(string.IsNullOrEmpty(missing.Fix));
    }

    public void Dispose() => _temp.Dispose();
}
