using DFLComposite.Engine.Facesets;
using DFLComposite.Engine.Media;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Faces;
using DFLComposite.Media;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DFLComposite.Engine.Tests.Segmentation;

[Collection("training")]
public sealed class XSegTrainingTests(XSegFixture data, ITestOutputHelper output)
{
    [SkippableFact]
    public void Trained_on_d19_mesh_labels_xseg_finds_the_face_of_another_man_far_better_than_untrained()
    {
        XSegTrainResult r = data.Trained;
        output.WriteLine($"trained {r.Iteration} iterations on {r.LabelledFaces} faces in {data.TrainingSeconds:F0} s; loss first 20 {r.History.Points.Take(20).Average(p => p.Src):F3}, last 20 {r.History.Points.TakeLast(20).Average(p => p.Src):F3}");
        using XSegMasker trained = XSegMasker.Load(data.Workspace, BuiltInPlugins.Catalog, NullLogger.Instance);
        manual_seed(7);
        using XSegMasker untrained = XSegMasker.FromNetwork(XSegFixture.Model.Create(XSegFixture.Small), XSegFixture.Small);

        double iouTrained = MeanIoU(trained, data.HeldOut), iouUntrained = MeanIoU(untrained, data.HeldOut);
        output.WriteLine($"mean IoU with d18's mesh labels ({data.HeldOut.Faces.Count} faces): trained {iouTrained:F3}, untrained {iouUntrained:F3}");
        Assert.Equal(64, trained.Resolution);
        Assert.Equal("wf", trained.FaceType);
        Assert.True(iouTrained > 0.78, $"trained IoU {iouTrained:F3}");
        Assert.True(iouTrained > iouUntrained + 0.3, $"trained {iouTrained:F3} vs untrained {iouUntrained:F3}");
        Assert.True(File.Exists(Path.Combine(data.Workspace, XSegTrainer.PreviewFile)));
        Assert.True(File.Exists(Path.Combine(data.Workspace, XSegTrainer.LossPlotFile)));
    }

    [SkippableFact]
    public void The_predicted_mask_leaves_out_an_unseen_occluder_that_the_hull_label_keeps()
    {
        _ = data.Trained;
        using XSegMasker masker = XSegMasker.Load(data.Workspace, BuiltInPlugins.Catalog, NullLogger.Instance);
        // A real picture never seen in training (training occluders came from d19's own backgrounds): a patch of
        // the flag behind Obama.
        using Mat photo = Cv2.ImRead(TestPaths.Media("images/obama-1080p.jpg"));
        using var flag = new Mat(photo, new Rect(500, 350, 150, 150));
        double predictedKept = 0, hullKept = 0, cleanKept = 0;
        int faces = 0;
        foreach (FaceSetEntry entry in data.HeldOut.Faces)
        {
            AlignedFace face = AlignedFaceFile.Read(data.HeldOut.PathOf(entry));
            AlignedFaceMetadata m = face.Metadata;
            using Mat hull = MaskLabels.LabelMask(m);
            // An ellipse over the lower cheek and jaw on one side (a hand or a microphone), a quarter of the face wide.
            using var occluder = new Mat(m.Size, m.Size, MatType.CV_8UC1, Scalar.All(0));
            float[] jaw = m.Landmarks68[5], nose = m.Landmarks68[31];
            var centre = new Point((int)((jaw[0] + nose[0]) / 2), (int)((jaw[1] + nose[1]) / 2));
            Cv2.Ellipse(occluder, centre, new OpenCvSharp.Size(m.Size / 8, m.Size / 7), 20, 0, 360, Scalar.All(255), -1);
            using var occluderOnFace = new Mat();
            Cv2.BitwiseAnd(occluder, hull, occluderOnFace);
            int area = Cv2.CountNonZero(occluderOnFace);
            if (area < 50)
            {
                continue;
            }

            using Mat image = face.Image.AsMat().Clone();
            using var texture = new Mat();
            Cv2.Resize(flag, texture, new OpenCvSharp.Size(m.Size, m.Size));
            texture.CopyTo(image, occluder);
            using Mat clean = Predicted(masker, face.Image);
            using Mat occluded = Predicted(masker, image.ToFrame());

            predictedKept += Fraction(occluded, occluderOnFace, area);
            cleanKept += Fraction(clean, occluderOnFace, area);
            hullKept += Fraction(hull, occluderOnFace, area);
            faces++;
        }

        (predictedKept, hullKept, cleanKept) = (predictedKept / faces, hullKept / faces, cleanKept / faces);
        output.WriteLine($"{faces} d18 faces with a flag patch over the cheek: share of the occluder excluded by the predicted mask {1 - predictedKept:P0}, by the hull label {1 - hullKept:P0}; same region without the occluder kept as face {cleanKept:P0}");
        Assert.Equal(1.0, hullKept, 3);
        Assert.True(1 - predictedKept > 0.5, $"the prediction excludes only {1 - predictedKept:P0} of the occluder");
        Assert.True(cleanKept > 0.8, $"without the occluder the region is face ({cleanKept:P0} kept)");
    }

    [SkippableFact]
    public void Apply_writes_a_mask_into_every_face_the_preview_shows_them_and_remove_clears_them()
    {
        _ = data.Trained;
        FaceSet set = data.Copy(data.HeldOut);
        using XSegMasker masker = XSegMasker.Load(data.Workspace, BuiltInPlugins.Catalog, NullLogger.Instance);
        var reports = new List<(int, int)>();
        int done = XSegApply.Run(masker, set, new Progress<(int, int)>(reports.Add), CancellationToken.None);
        Assert.Equal(set.Faces.Count, done);
        foreach (FaceSetEntry entry in set.Faces)
        {
            AlignedFaceMetadata m = AlignedFaceFile.ReadMetadata(set.PathOf(entry));
            using Mat mask = MaskLabels.PredictedMask(m)!;
            Assert.Equal(m.Size, mask.Width);
            using Mat label = MaskLabels.LabelMask(m);
            Assert.True(MaskLabels.IoU(mask, label) > 0.6);
        }

        string sheet = Path.Combine(set.Directory, "..", Path.GetFileName(set.Directory) + "-sheet.png");
        ContactSheet.Write(set, sheet, columns: 5, maxFaces: 10, tile: 96, masks: true);
        using Mat picture = Cv2.ImRead(sheet);
        Assert.Equal((5 * 96, 2 * 96), (picture.Width, picture.Height));

        Assert.Equal(set.Faces.Count, FaceSetLabels.Remove(set, labels: false, masks: true));
        AlignedFaceMetadata after = AlignedFaceFile.ReadMetadata(set.PathOf(set.Faces[0]));
        Assert.Null(after.MaskPng);
        Assert.NotNull(after.MaskPolygons);
    }

    [SkippableFact]
    public void Concurrent_predictions_equal_sequential_ones()
    {
        _ = data.Trained;
        using XSegMasker masker = XSegMasker.Load(data.Workspace, BuiltInPlugins.Catalog, NullLogger.Instance);
        ImageFrame[] faces = data.HeldOut.Faces.Take(8).Select(f => AlignedFaceFile.Read(data.HeldOut.PathOf(f)).Image).ToArray();
        float[][] sequential = faces.Select(masker.Predict).ToArray();
        var parallel = new float[faces.Length][];
        Parallel.For(0, faces.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = masker.Predict(faces[i]));
        IReadOnlyList<float[]> batched = masker.PredictBatch(faces);
        for (int i = 0; i < faces.Length; i++)
        {
            Assert.Equal(faces[i].Width * faces[i].Height, sequential[i].Length);
            Assert.True(sequential[i].Zip(parallel[i], (a, b) => Math.Abs(a - b)).Max() < 1e-4);
            Assert.True(sequential[i].Zip(batched[i], (a, b) => Math.Abs(a - b)).Max() < 1e-3);
        }
    }

    [SkippableFact]
    public void Training_resumes_from_its_workspace_and_refuses_a_structural_change()
    {
        string ws = data.NewFolder("resume");
        var settings = XSegFixture.Settings with { BatchSize = 2, SaveEveryIterations = 2 };
        var trainer = new XSegTrainer(XSegFixture.Model, settings with { MaxIterations = 2 }, NullLogger.Instance);
        trainer.Run(ws, [data.Train], XSegFixture.Small, new HashSet<string>(), null, CancellationToken.None);
        XSegTrainResult r = new XSegTrainer(XSegFixture.Model, settings with { MaxIterations = 4 }, NullLogger.Instance)
            .Run(ws, [data.Train], XSegFixture.Small, new HashSet<string>(), null, CancellationToken.None);
        Assert.True(r.Resumed);
        Assert.Equal(4, r.Iteration);
        Assert.Equal(4, r.History.Points.Count);

        var ex = Assert.Throws<Settings.JobValidationException>(() => trainer.Run(ws, [data.Train], XSegFixture.Small with { Resolution = 128 }, new HashSet<string> { "resolution" }, null, CancellationToken.None));
        Assert.Equal("model.resolution", Assert.Single(ex.Errors).Path);
        Assert.Contains("has 64", ex.Message);
        var notXSeg = Assert.Throws<BadInputException>(() => XSegMasker.Load(data.NewFolder("empty"), BuiltInPlugins.Catalog, NullLogger.Instance));
        Assert.Contains("xseg train", notXSeg.Message);
    }

    private static double MeanIoU(XSegMasker masker, FaceSet set) => set.Faces.Average(entry =>
    {
        string path = set.PathOf(entry);
        using Mat predicted = XSegApply.Predict(masker, path);
        using Mat label = MaskLabels.LabelMask(AlignedFaceFile.ReadMetadata(path));
        return MaskLabels.IoU(predicted, label);
    });

    private static Mat Predicted(XSegMasker masker, ImageFrame face) =>
        MaskLabels.FromFloats(masker.Predict(face), face.Width, face.Height);

    /// <summary>Share of the region's pixels that the mask keeps as face (above half).</summary>
    private static double Fraction(Mat mask, Mat region, int area)
    {
        using var kept = new Mat();
        Cv2.Threshold(mask, kept, 127, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(kept, region, kept);
        return (double)Cv2.CountNonZero(kept) / area;
    }
}
