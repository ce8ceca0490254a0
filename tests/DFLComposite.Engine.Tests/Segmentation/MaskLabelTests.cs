using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Faces;
using DFLComposite.Tests;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Segmentation;

[Collection("training")]
public sealed class MaskLabelTests(XSegFixture data, ITestOutputHelper output)
{
    [SkippableFact]
    public void Fetch_from_mesh_gives_every_face_of_d19_a_face_oval_label()
    {
        FaceSet set = data.Train;
        double[] coverage = set.Faces.Select(f =>
        {
            AlignedFaceMetadata m = AlignedFaceFile.ReadMetadata(set.PathOf(f));
            MaskPolygon polygon = Assert.Single(m.MaskPolygons!);
            Assert.True(polygon.Include);
            Assert.Equal(MaskLabels.FaceOvalIndices.Length, polygon.Points.Length);
            using Mat label = MaskLabels.LabelMask(m);
            // The eyes, nose and mouth are inside the oval.
            foreach (int i in new[] { 36, 45, 30, 48, 54, 57 })
            {
                Assert.Equal(255, label.At<byte>((int)m.Landmarks68[i][1], (int)m.Landmarks68[i][0]));
            }

            return (double)Cv2.CountNonZero(label) / (m.Size * m.Size);
        }).ToArray();
        output.WriteLine($"{coverage.Length} faces labelled; label covers {coverage.Min():P0} .. {coverage.Max():P0} of the wf square");
        Assert.True(coverage.Length >= 50, $"only {coverage.Length} faces");
        Assert.All(coverage, c => Assert.InRange(c, 0.2, 0.8));
    }

    [SkippableFact]
    public void Labels_round_trip_through_mask_images_and_json_and_pixels_are_never_reencoded()
    {
        FaceSet set = data.Copy(data.Train);
        string first = set.PathOf(set.Faces[0]);
        using Mat before = Cv2.ImDecode(File.ReadAllBytes(first), ImreadModes.Color);
        var original = set.Faces.ToDictionary(f => f.File, f => AlignedFaceFile.ReadMetadata(set.PathOf(f)));

        string json = Path.Combine(set.Directory, "..", Path.GetFileName(set.Directory) + "-labels.json");
        string masks = data.NewFolder("masks");
        Assert.Equal(set.Faces.Count, FaceSetLabels.Export(set, json, masks));
        Assert.Equal(set.Faces.Count, FaceSetLabels.Remove(set, labels: true, masks: false));
        Assert.Null(AlignedFaceFile.ReadMetadata(first).MaskPolygons);

        // From mask images: traced polygons redraw the same mask.
        LabelReport fromMasks = FaceSetLabels.ImportMasks(set, masks);
        Assert.Equal(set.Faces.Count, fromMasks.Changed);
        double worst = set.Faces.Min(f =>
        {
            using Mat a = MaskLabels.LabelMask(original[f.File]);
            using Mat b = MaskLabels.LabelMask(AlignedFaceFile.ReadMetadata(set.PathOf(f)));
            return MaskLabels.IoU(a, b);
        });
        output.WriteLine($"mask image -> polygons -> mask: worst IoU {worst:F4}");
        Assert.True(worst > 0.97, $"worst IoU {worst:F4}");

        // From JSON: exactly the exported polygons.
        FaceSetLabels.ImportJson(set, json);
        AlignedFaceMetadata back = AlignedFaceFile.ReadMetadata(first);
        Assert.Equal(original[set.Faces[0].File].MaskPolygons![0].Points, back.MaskPolygons![0].Points);

        using Mat after = Cv2.ImDecode(File.ReadAllBytes(first), ImreadModes.Color);
        Assert.Equal(0, Cv2.Norm(before, after, NormTypes.INF));
    }

    [Fact]
    public void Include_then_exclude_polygons_cut_a_hole_in_the_order_drawn()
    {
        MaskPolygon square = new(true, [[10, 10], [50, 10], [50, 50], [10, 50]]);
        MaskPolygon hole = new(false, [[20, 20], [40, 20], [40, 40], [20, 40]]);
        using Mat mask = MaskLabels.Rasterise([square, hole], 64, 64);
        Assert.Equal(255, mask.At<byte>(15, 15));
        Assert.Equal(0, mask.At<byte>(30, 30));
        List<MaskPolygon> traced = MaskLabels.FromMask(mask);
        Assert.Equal([true, false], traced.Select(p => p.Include));
        using Mat again = MaskLabels.Rasterise(traced, 64, 64);
        Assert.True(MaskLabels.IoU(mask, again) > 0.95);
    }

    [SkippableFact]
    public void With_a_person_segmenter_the_oval_is_trimmed_but_keeps_the_face()
    {
        FaceSet set = data.Copy(data.Train);
        var ovalArea = set.Faces.ToDictionary(f => f.File, f =>
        {
            using Mat m = MaskLabels.LabelMask(AlignedFaceFile.ReadMetadata(set.PathOf(f)));
            return Cv2.CountNonZero(m);
        });
        FaceSetLabels.FetchFromMesh(set, overwrite: true, BuiltInPlugins.Catalog.Create<IPersonSegmenter>("selfie"));
        double[] kept = set.Faces.Select(f =>
        {
            using Mat m = MaskLabels.LabelMask(AlignedFaceFile.ReadMetadata(set.PathOf(f)));
            return (double)Cv2.CountNonZero(m) / ovalArea[f.File];
        }).ToArray();
        output.WriteLine($"trimmed labels keep {kept.Min():P1} .. {kept.Max():P1} of the oval");
        Assert.All(kept, k => Assert.InRange(k, 0.5, 1.01));
    }

    [SkippableFact]
    public void A_broken_label_file_is_reported_by_name()
    {
        FaceSet set = data.Train;
        string bad = Path.Combine(data.NewFolder("bad") + ".json");
        File.WriteAllText(bad, "{ \"x.jpg\": 42 }");
        var ex = Assert.Throws<MediaException>(() => FaceSetLabels.ImportJson(set, bad));
        Assert.Contains(bad, ex.Message);
        Assert.Contains("points", ex.Message);
    }
}
