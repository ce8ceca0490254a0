using DFLComposite.Engine.Facesets;
using DFLComposite.Faces;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Node.Tests;

public sealed class XSegCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void Label_train_apply_preview_and_remove_from_the_command_line()
    {
        string faces = _temp.File("faces"), ws = _temp.File("xseg");
        Assert.Equal(0, ProcessRunner.Dflc("extract", "-i", TestPaths.Media("video/d19.mp4"), "-o", faces, "--size", "96", "--every", "25").ExitCode);

        var labels = ProcessRunner.Dflc("xseg", "labels", "fetch-from-mesh", faces);
        Assert.True(labels.ExitCode == 0, labels.All);
        Assert.Matches(@"\d+ face\(s\) labelled", labels.StdOut);

        var train = ProcessRunner.Dflc("xseg", "train", "--faceset", faces, "-w", ws, "--resolution", "64", "--base-channels", "8",
            "--batch-size", "2", "--max-iterations", "3", "--report-every", "1", "--threads", "1");
        output.WriteLine(train.All);
        Assert.True(train.ExitCode == 0, train.All);
        Assert.Matches(@"\[000003\] \d+ ms/it  loss \d+\.\d{4}", train.StdOut);
        Assert.True(File.Exists(Path.Combine(ws, "preview.png")));
        var info = ProcessRunner.Dflc("model", "info", ws);
        Assert.True(info.ExitCode == 0, info.All);
        Assert.Contains("xseg (segmentation)", info.StdOut);

        var changed = ProcessRunner.Dflc("xseg", "train", "--faceset", faces, "-w", ws, "--resolution", "128", "--max-iterations", "4");
        Assert.Equal(2, changed.ExitCode);
        Assert.Matches("--resolution: the .*model in .* has 64; it cannot change to 128", changed.StdErr);

        var apply = ProcessRunner.Dflc("xseg", "apply", "-w", ws, "--faceset", faces);
        Assert.True(apply.ExitCode == 0, apply.All);
        FaceSet set = FaceSet.Open(faces);
        Assert.All(set.Faces, f => Assert.NotNull(AlignedFaceFile.ReadMetadata(set.PathOf(f)).MaskPng));

        string sheet = _temp.File("sheet.png");
        Assert.Equal(0, ProcessRunner.Dflc("xseg", "preview", faces, "-o", sheet).ExitCode);
        Assert.True(File.Exists(sheet));

        string json = _temp.File("labels.json");
        Assert.Equal(0, ProcessRunner.Dflc("xseg", "labels", "export", faces, "-o", json).ExitCode);
        Assert.Equal(0, ProcessRunner.Dflc("xseg", "remove", faces, "--masks", "--labels").ExitCode);
        AlignedFaceMetadata cleared = AlignedFaceFile.ReadMetadata(set.PathOf(set.Faces[0]));
        Assert.Null(cleared.MaskPng);
        Assert.Null(cleared.MaskPolygons);
        Assert.Equal(0, ProcessRunner.Dflc("xseg", "labels", "import", faces, "--json", json).ExitCode);
        Assert.NotNull(AlignedFaceFile.ReadMetadata(set.PathOf(set.Faces[0])).MaskPolygons);

        Assert.Equal(2, ProcessRunner.Dflc("xseg", "remove", faces).ExitCode);
        Assert.Equal(3, ProcessRunner.Dflc("xseg", "labels", "import", faces, "--json", _temp.File("missing.json")).ExitCode);
        Assert.Equal(3, ProcessRunner.Dflc("xseg", "apply", "-w", _temp.File("nothing"), "--faceset", faces).ExitCode); // a missing model is bad input
    }

    public void Dispose() => _temp.Dispose();
}
