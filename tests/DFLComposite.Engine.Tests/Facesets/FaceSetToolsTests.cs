using DFLComposite.Engine.Media;
using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Facesets;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Engine.Tests.Facesets;

public sealed class FaceSetToolsTests : IDisposable
{
    private readonly TempDir _temp = new();

    /// <summary>A fresh copy of a small faceset: two clips, every 3rd frame, 128 px.</summary>
    private FaceSet Faces()
    {
        string dir = _temp.File("fs-" + Guid.NewGuid().ToString("N")[..6]);
        Extraction.Run(new ExtractSettings { Size = 128, Every = 3 }, dir, TestPaths.Media("video/d0.mp4"), TestPaths.Media("video/d18.mp4"));
        return FaceSet.Open(dir);
    }

    [SkippableFact]
    public void Sort_by_blur_puts_the_sharpest_first_and_renames_the_files_in_order()
    {
        FaceSet set = Faces();
        // Make one face clearly the blurriest.
        string victim = set.PathOf(set.Faces[5]);
        var face = AlignedFaceFile.Read(victim);
        using (Mat m = Engine.Media.FramePixels.AsMat(face.Image))
        {
            Cv2.GaussianBlur(m, m, new OpenCvSharp.Size(15, 15), 6);
        }

        AlignedFaceFile.Write(victim, face);
        string victimName = Path.GetFileName(victim);

        (var ordered, var retired) = FaceSorter.Sort(set, SortMethod.Blur);
        FaceSetEditor.Apply(set, ordered, retired);

        FaceSet sorted = FaceSet.Open(set.Directory);
        Assert.True(sorted.HasIndex);
        Assert.Equal(set.Faces.Count, sorted.Faces.Count);
        Assert.EndsWith("_" + victimName, sorted.Faces[^1].File); // the blurred one is last
        Assert.Equal(sorted.Faces.Select(f => f.File).Order(StringComparer.Ordinal), sorted.Faces.Select(f => f.File));
        Measure[] m2 = Measure.All(sorted);
        Assert.True(m2[0].Sharpness >= m2[^1].Sharpness);
    }

    [SkippableFact]
    public void Sort_by_yaw_is_monotonic_and_final_keeps_exactly_n_with_the_rest_in_trash()
    {
        FaceSet set = Faces();
        (var byYaw, _) = FaceSorter.Sort(set, SortMethod.Yaw);
        Assert.Equal(byYaw.Select(f => f.Yaw).Order(), byYaw.Select(f => f.Yaw));

        (var kept, var retired) = FaceSorter.Sort(set, SortMethod.Final, finalCount: 20);
        Assert.Equal(20, kept.Count);
        Assert.Equal(set.Faces.Count - 20, retired.Count);
        FaceSetEditor.Apply(set, kept, retired);
        Assert.Equal(20, FaceSet.Open(set.Directory).Faces.Count);
        Assert.Equal(retired.Count, Directory.GetFiles(Path.Combine(set.Directory, FaceSetEditor.TrashFolder)).Length);
        // both clips are represented
        Assert.Equal(2, FaceSet.Open(set.Directory).Faces.Select(f => f.SourceClip).Distinct().Count());
    }

    [SkippableFact]
    public void Dedupe_finds_copies_and_keeps_one()
    {
        FaceSet set = Faces();
        int original = set.Faces.Count;
        foreach (var e in set.Faces.Take(4))
        {
            File.Copy(set.PathOf(e), Path.Combine(set.Directory, "copy_" + e.File));
        }

        File.Delete(Path.Combine(set.Directory, FaceSetIndex.FileName));
        FaceSet withCopies = FaceSet.Open(set.Directory); // index rebuilt from the files
        Assert.False(withCopies.HasIndex);
        Assert.Equal(original + 4, withCopies.Faces.Count);

        (var kept, var duplicates) = FaceSetDeduper.Find(Measure.All(withCopies), maxDistance: 0);
        Assert.True(duplicates.Count >= 4, $"{duplicates.Count} duplicates found");
        Assert.True(kept.Count <= original);
    }

    [SkippableFact]
    public void Split_is_deterministic_and_never_puts_one_segment_in_two_splits()
    {
        FaceSet set = Faces();
        FaceSetSplit a = FaceSetSplitter.Split(set, 0.7, 0.1, 0.2, seed: 7, segmentFrames: 15);
        FaceSetSplit b = FaceSetSplitter.Split(set, 0.7, 0.1, 0.2, seed: 7, segmentFrames: 15);
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(set.Faces.Count, a.Train.Count + a.Val.Count + a.Test.Count);
        Assert.True(a.Train.Count > a.Test.Count && a.Test.Count > 0 && a.Val.Count > 0);

        var splitOf = a.Train.Select(f => (f, 0)).Concat(a.Val.Select(f => (f, 1))).Concat(a.Test.Select(f => (f, 2))).ToDictionary(x => x.f, x => x.Item2);
        foreach (var segment in set.Faces.GroupBy(f => (f.SourceClip, f.FrameIndex / 15)))
        {
            Assert.Single(segment.Select(f => splitOf[f.File]).Distinct());
        }

        Assert.NotNull(FaceSetSplit.Load(set.Directory));
    }

    [SkippableFact]
    public void Preview_writes_a_contact_sheet_of_the_faces()
    {
        FaceSet set = Faces();
        string png = _temp.File("sheet.png");
        ContactSheet.Write(set, png, columns: 5, maxFaces: 12, tile: 64, landmarks: true);
        using Mat sheet = Cv2.ImRead(png);
        Assert.Equal((5 * 64, 3 * 64), (sheet.Width, sheet.Height));
        Assert.True(Cv2.Mean(sheet).Val1 > 40); // faces, not an empty canvas
    }

    public void Dispose() => _temp.Dispose();
}
