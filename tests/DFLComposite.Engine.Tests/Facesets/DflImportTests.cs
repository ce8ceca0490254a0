using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Facesets.Dfl;
using DFLComposite.Faces;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Engine.Tests.Facesets;

public sealed class DflImportTests : IDisposable
{
    private readonly TempDir _temp = new();

    private static (float[] Landmarks, float[] Source, float[] Mat) Sample(int seed)
    {
        var rng = new Random(seed);
        float[] lm = Enumerable.Range(0, 136).Select(_ => (float)(rng.NextDouble() * 256)).ToArray();
        float[] src = Enumerable.Range(0, 136).Select(_ => (float)(rng.NextDouble() * 1920)).ToArray();
        float[] mat = [0.71234567f, -0.1234567f, -311.123456f, 0.1234567f, 0.71234567f, -97.654321f];
        return (lm, src, mat);
    }

    private static byte[] DflFace(int seed, string faceType = "whole_face")
    {
        (float[] lm, float[] src, float[] mat) = Sample(seed);
        byte[] pickle = DflFileWriter.Pickle(w => w.Dict(
            ("face_type", x => x.Str(faceType)),
            ("landmarks", x => x.Float32Array(lm, 68, 2)),
            ("eyebrows_expand_mod", x => x.Int(1)),
            ("source_filename", x => x.Str($"{seed:D5}.png")),
            ("source_rect", x => x.Tuple(y => y.Int(100), y => y.Int(50), y => y.Int(400), y => y.Int(380))),
            ("source_landmarks", x => x.Float32Array(src, 68, 2)),
            ("image_to_face_mat", x => x.Float32Array(mat, 2, 3)),
            ("seg_ie_polys", x => x.Dict(("polys", y => y.List(
                z => z.Dict(("type", t => t.Int(1)), ("pts", t => t.Float32Array([10, 10, 200, 10, 200, 240, 10, 240], 4, 2))),
                z => z.Dict(("type", t => t.Int(0)), ("pts", t => t.Float32Array([50, 50, 90, 50, 70, 90], 3, 2)))))))));
        using var image = new Mat(256, 256, MatType.CV_8UC3, new Scalar(seed * 10 % 255, 120, 200));
        Cv2.ImEncode(".jpg", image, out byte[] jpeg);
        return DflFileWriter.WithApp15(jpeg, pickle);
    }

    [Fact]
    public void Import_round_trips_landmarks_and_affine_exactly_and_keeps_the_pixels()
    {
        string dfl = Path.Combine(_temp.Path, "aligned");
        Directory.CreateDirectory(dfl);
        for (int i = 1; i <= 3; i++)
        {
            File.WriteAllBytes(Path.Combine(dfl, $"{i:D5}_0.jpg"), DflFace(i));
        }

        DflImporter.Result result = DflImporter.Import(dfl, _temp.File("faces"));
        Assert.Equal(3, result.Imported);
        Assert.Empty(result.Skipped);

        FaceSet set = FaceSet.Open(result.Output);
        Assert.True(set.HasIndex);
        for (int i = 1; i <= 3; i++)
        {
            (float[] lm, float[] src, float[] mat) = Sample(i);
            AlignedFace face = AlignedFaceFile.Read(Path.Combine(result.Output, $"{i:D5}_0.jpg"));
            AlignedFaceMetadata m = face.Metadata;
            Assert.Equal(lm, m.Landmarks68.SelectMany(p => p).ToArray()); // bit-exact floats
            Assert.Equal(src, m.SourceLandmarks68.SelectMany(p => p).ToArray());
            Assert.Equal(mat.Select(v => (double)v).ToArray(), m.ImageToFace);
            Assert.Equal("wf", m.FaceType);
            Assert.Equal(256, m.Size);
            Assert.Equal(new float[] { 100, 50, 300, 330 }, m.SourceRect);
            Assert.Equal($"{i:D5}.png", m.SourceFile);
            Assert.Equal(i - 1, m.FrameIndex);
            Assert.Equal(2, m.MaskPolygons!.Count);
            Assert.True(m.MaskPolygons[0].Include);
            Assert.False(m.MaskPolygons[1].Include);
            Assert.Equal(new float[] { 50, 50 }, m.MaskPolygons[1].Points[0]);

            // Same JPEG pixels: only the metadata segment changed.
            using Mat before = Cv2.ImDecode(DflFace(i), ImreadModes.Color);
            using Mat after = Cv2.ImDecode(File.ReadAllBytes(Path.Combine(result.Output, $"{i:D5}_0.jpg")), ImreadModes.Color);
            Assert.Equal(0, Cv2.Norm(before, after, NormTypes.L1));
        }
    }

    [Fact]
    public void A_pickle_that_calls_a_function_is_rejected_without_running_it()
    {
        string marker = _temp.File("pwned");
        // The classic exploit: os.system("touch <marker>") via GLOBAL + REDUCE.
        byte[] evil = DflFileWriter.Pickle(w =>
        {
            w.Global("os", "system");
            w.Tuple(x => x.Str($"touch {marker}"));
            w.Raw((byte)'R');
        });
        var ex = Assert.Throws<PickleException>(() => SafePickle.Load(evil));
        Assert.Contains("os.system", ex.Message);
        Assert.False(File.Exists(marker));

        // Inside a DFL file the face is skipped with the reason; a folder of nothing else is an error.
        string dfl = Path.Combine(_temp.Path, "evil");
        Directory.CreateDirectory(dfl);
        using var image = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(90));
        Cv2.ImEncode(".jpg", image, out byte[] jpeg);
        File.WriteAllBytes(Path.Combine(dfl, "00001_0.jpg"), DflFileWriter.WithApp15(jpeg, evil));
        File.WriteAllBytes(Path.Combine(dfl, "00002_0.jpg"), DflFace(2));
        DflImporter.Result result = DflImporter.Import(dfl, _temp.File("out"));
        Assert.Equal(1, result.Imported);
        Assert.Contains(result.Skipped, s => s.Contains("00001_0.jpg") && s.Contains("os.system"));
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    [InlineData("numpy", "load")]
    public void Any_global_outside_the_numpy_constructors_is_refused(string module, string name)
    {
        byte[] evil = DflFileWriter.Pickle(w => w.Global(module, name));
        Assert.Throws<PickleException>(() => SafePickle.Load(evil));
    }

    [Fact]
    public void A_truncated_pickle_is_an_error_not_a_crash()
    {
        byte[] good = DflFileWriter.Pickle(w => w.Dict(("landmarks", x => x.Float32Array(new float[136], 68, 2))));
        for (int cut = 1; cut < good.Length; cut += 7)
        {
            Assert.Throws<PickleException>(() => SafePickle.Load(good[..cut]));
        }
    }

    public void Dispose() => _temp.Dispose();
}
